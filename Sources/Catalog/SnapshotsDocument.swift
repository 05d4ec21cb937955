import Foundation
import Infrastructure

/// tezos-snapshots.json: every network's artifacts in one document, as the tezos-k8s chart reads it.
public struct SnapshotsDocument: Sendable {
    /// The schema this project ships for the document (site/tezos-snapshots.schema.json).
    public static let defaultSchemaURL = "https://xtz-shots.io/" + PublishedLayout.schemaKey

    public var org: String
    public var schemaURL: String
    /// ISO 8601 UTC with `Z`.
    public var dateGenerated: String
    /// The `data` array's contents, as chunks of encoded elements (see `encodedChunk`), in order.
    public var dataChunks: [[UInt8]]

    public init(org: String, schemaURL: String, dateGenerated: String, artifacts: [Artifact]) {
        self.init(org: org, schemaURL: schemaURL, dateGenerated: dateGenerated, dataChunks: [Self.encodedChunk(artifacts)])
    }

    /// A document from chunks already encoded, e.g. one per network, some kept from a previous build.
    public init(org: String, schemaURL: String, dateGenerated: String, dataChunks: [[UInt8]]) {
        self.org = org
        self.schemaURL = schemaURL
        self.dateGenerated = dateGenerated
        self.dataChunks = dataChunks
    }

    /// Refuses an `org` or `$schema` that clients should not be handed: `org` is one line of prose
    /// (`TextForm.prose`), `$schema` a plain http(s) URL without credentials. `origin` names where
    /// each came from (`--org`, `SHOTS_ORG`...).
    static func checkPublishable(org: String, orgOrigin: String, schemaURL: String, schemaOrigin: String) throws(Problem) {
        guard TextForm.prose.accepts(org) else {
            throw Problem(origin: orgOrigin, reason: "expected \(TextForm.prose.expectation), found \(Problem.quoted(org))")
        }
        if let problem = PublishableURL.problem(schemaURL, link: false) {
            throw Problem(origin: schemaOrigin, reason: problem)
        }
    }

    /// Consecutive artifacts of `data`, encoded (in parallel) to be spliced into a document. Only
    /// what every client of the document can read is listed: the chart pipes every `tarball`
    /// through `lz4 -d`, so a zstd tarball is left out (it has its own permalinks and pages).
    public static func encodedChunk(_ artifacts: [Artifact]) -> [UInt8] {
        JSONWriter().elements(of: artifacts.filter(\.compression.isReadByEveryClient).map(\.json), indent: 1)
    }

    /// The document, members in name order like every JSON shots writes.
    public func encoded() -> Data {
        let writer = JSONWriter()
        var output: [UInt8] = []
        func member(_ name: String, _ value: String) {
            output.append(contentsOf: ",\n  \"\(name)\": ".utf8)
            writer.write(.string(value), into: &output, indent: 1)
        }
        output.append(contentsOf: "{\n  \"$schema\": ".utf8)
        writer.write(.string(schemaURL), into: &output, indent: 1)
        output.append(contentsOf: ",\n  \"data\": ".utf8)
        writer.append(arrayOfChunks: dataChunks, indent: 1, to: &output)
        member("date_generated", dateGenerated)
        member("org", org)
        output.append(contentsOf: "\n}\n".utf8)
        return Data(output)
    }

    /// `date_generated`, one rule for every verb that writes the document: `SOURCE_DATE_EPOCH`
    /// when set, else the newest artifact's block time (whole seconds), else the epoch. The
    /// document changes exactly when its artifacts do, and the same input gives the same bytes.
    public static func generationDate(environment: [String: String], newest: BlockTimestamp?) throws(Problem) -> String {
        guard let epoch = environment["SOURCE_DATE_EPOCH"] else {
            return newest.map { String($0.text.prefix(19)) + "Z" } ?? "1970-01-01T00:00:00Z"
        }
        guard let seconds = UInt64(epoch), seconds < 253_402_300_800 else {
            throw Problem(origin: "SOURCE_DATE_EPOCH", reason: "expected whole seconds since 1970 (e.g. 1700000000), found \(Problem.quoted(epoch))")
        }
        return BlockTimestamp.format(secondsSince1970: seconds)
    }

    /// `org` and `$schema`, one rule for every verb: the flag, else `SHOTS_ORG` / `SHOTS_SCHEMA_URL`,
    /// else the site's `org` and the schema it publishes at its root; checked by `checkPublishable`.
    public static func header(org flag: String?, schemaURL schemaFlag: String?, environment: [String: String],
                              siteOrg: String?, siteBaseURL: String?) throws(Problem) -> (org: String, schemaURL: String) {
        let orgChoices = [("--org", flag), ("SHOTS_ORG", environment["SHOTS_ORG"]), ("site.yml org", siteOrg)]
        guard let (orgOrigin, org) = orgChoices.first(where: { $0.1 != nil }).map({ ($0.0, $0.1!) }),
              !org.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(origin: "--org", reason: "say who publishes the snapshots: --org NAME, SHOTS_ORG, or org in site.yml")
        }
        let schemaChoices = [("--schema-url", schemaFlag), ("SHOTS_SCHEMA_URL", environment["SHOTS_SCHEMA_URL"]),
                             ("site.yml base_url", siteBaseURL.map { "\($0)/\(PublishedLayout.schemaKey)" })]
        let (schemaOrigin, schemaURL) = schemaChoices.first(where: { $0.1 != nil }).map { ($0.0, $0.1!) } ?? ("default", defaultSchemaURL)
        try checkPublishable(org: org, orgOrigin: orgOrigin, schemaURL: schemaURL, schemaOrigin: schemaOrigin)
        return (org, schemaURL)
    }
}

import Foundation

/// tezos-snapshots.json: every network's artifacts in one document, as the tezos-k8s chart reads it.
public struct SnapshotsDocument: Sendable {
    /// The schema this project ships for the document (site/tezos-snapshots.schema.json).
    public static let defaultSchemaURL = "https://xtz-shots.io/tezos-snapshots.schema.json"

    public var org: String
    public var schemaURL: String
    /// ISO 8601 UTC with `Z`.
    public var dateGenerated: String
    public var artifacts: [Artifact]

    public init(org: String, schemaURL: String, dateGenerated: String, artifacts: [Artifact]) {
        self.org = org
        self.schemaURL = schemaURL
        self.dateGenerated = dateGenerated
        self.artifacts = artifacts
    }

    public func encoded() -> Data {
        JSONWriter().data(.object([
            "$schema": .string(schemaURL),
            "data": .array(artifacts.map { .object($0.json) }),
            "date_generated": .string(dateGenerated),
            "org": .string(org),
        ]))
    }

    /// Now, or `SOURCE_DATE_EPOCH` when set, so that a rebuild from the same input is byte-identical.
    public static func generationDate(environment: [String: String]) throws(Problem) -> String {
        guard let epoch = environment["SOURCE_DATE_EPOCH"] else {
            return BlockTimestamp.format(secondsSince1970: UInt64(Date().timeIntervalSince1970))
        }
        guard let seconds = UInt64(epoch), seconds < 253_402_300_800 else {
            throw Problem(origin: "SOURCE_DATE_EPOCH", reason: "expected whole seconds since 1970 (e.g. 1700000000), found \"\(epoch)\"")
        }
        return BlockTimestamp.format(secondsSince1970: seconds)
    }
}

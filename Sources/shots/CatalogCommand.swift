import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Storage

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Combine networks' base.json files into tezos-snapshots.json.",
        discussion: """
            Writes {"date_generated", "org", "$schema", "data"} with every valid artifact of every \
            BASE_JSON, in catalog order. date_generated is SOURCE_DATE_EPOCH when set, else the newest \
            artifact's block time, so the same input gives the same bytes (shots build writes the same). Invalid entries are left out and listed on standard \
            error (exit status 2); the same filename with different metadata in two files stops \
            the run.

            Examples:
              shots catalog mainnet/base.json ghostnet/base.json -o tezos-snapshots.json --org "My Org"
              SOURCE_DATE_EPOCH=1700000000 shots catalog */base.json -o tezos-snapshots.json --json
              shots catalog https://mainnet.xtz-shots.io/base.json https://ghostnet.xtz-shots.io/base.json -o tezos-snapshots.json
            """
    )

    @Argument(help: ArgumentHelp("One base.json per network: a file, or its http(s) URL as the network's bucket serves it.", valueName: "base-json"))
    var catalogs: [String]

    @Option(name: .shortAndLong, help: "Where to write tezos-snapshots.json.")
    var output: String

    @Option(help: "Organization that publishes the snapshots (default: $SHOTS_ORG, or org in the site's site.yml).")
    var org: String?

    @Option(help: "The document's $schema URL (default: $SHOTS_SCHEMA_URL, or the schema the site publishes).")
    var schemaURL: String?

    @Option(help: "The site folder whose site.yml gives the defaults of --org and --schema-url.")
    var site = "site"

    @OptionGroup var outputOptions: OutputOptions

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `org` and `$schema` by the one rule (flags, then SHOTS_ORG / SHOTS_SCHEMA_URL, then the
    /// site's site.yml when there is one, read once here).
    private func header() throws(Problem) -> (org: String, schemaURL: String) {
        let siteFile = (site as NSString).appendingPathComponent("site.yml")
        let config = FileManager.default.fileExists(atPath: siteFile) ? try SiteConfig.load(folder: site) : nil
        return try SnapshotsDocument.header(org: org, schemaURL: schemaURL, environment: environment, siteOrg: config?.org, siteBaseURL: config?.baseURL)
    }

    func validate() throws {
        guard !catalogs.isEmpty else { throw ValidationError("Name at least one base.json.") }
    }

    func run() throws {
        // site.yml is read once, and a missing org or a bad $schema stops the run before any catalog is read.
        let header: (org: String, schemaURL: String)
        do throws(Problem) { header = try self.header() } catch { throw fail(error) }
        let result: MergedCatalog
        let fetch = { (url: String) throws(Problem) -> Data in try HTTPClient.get(url, timeoutSeconds: 120, limit: MetadataFile.catalogSizeLimit) }
        do throws(MergeFailure) { result = try unionOfCatalogs(catalogs, fetch: fetch) } catch { throw fail(error) }
        let artifacts = result.catalog.artifacts
        let document: SnapshotsDocument
        do throws(Problem) {
            let date = try SnapshotsDocument.generationDate(environment: environment, newest: artifacts.map(\.blockTimestamp).max())
            document = SnapshotsDocument(org: header.org, schemaURL: header.schemaURL, dateGenerated: date, artifacts: artifacts)
        } catch { throw fail(error) }
        outputOptions.warn(result.warnings)
        outputOptions.reject(result.rejects)
        do throws(Problem) { try AtomicFile.write(document.encoded(), to: output) } catch { throw fail(error) }

        let rows = CatalogSummaryRow.rows(for: artifacts)
        let networks = Set(rows.map(\.network)).count
        outputOptions.say("\(output): \(artifacts.count) artifacts on \(networks) networks, generated \(document.dateGenerated)")
        if outputOptions.verbose { outputOptions.say(CatalogTable.artifacts(artifacts)) }
        if !rows.isEmpty { outputOptions.say(CatalogTable.permalinks(artifacts)) }
        outputOptions.emit(.object([
            "status": .string(result.rejects.isEmpty ? "written" : "written-with-rejects"),
            "output": .string(output),
            "artifacts": .integer(Int64(artifacts.count)),
            "date_generated": .string(document.dateGenerated),
            "latest": .array(rows.map { row in
                .object([
                    "chain_name": .string(row.network), "permalink": .string(row.kind.permalink),
                    "count": .integer(Int64(row.count)), "filename": .string(row.latest.filename),
                    "block_height": .integer(row.latest.blockHeight),
                ])
            }),
            "rejected": .array(result.rejects.map(\.summary)),
            "warnings": .array(result.warnings.map(\.summary)),
        ]))
        if !result.rejects.isEmpty { throw doneWithRejects }
    }
}

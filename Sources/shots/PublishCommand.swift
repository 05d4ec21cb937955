import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Publish
import Schedule
import Site
import Storage

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Pack (or take) an artifact and publish it: store, base.json, catalog, pages, permalinks last.",
        discussion: """
            The whole final step of the snapshot Job, as named, timed steps: the artifact (packed from \
            a data dir straight into the store, or a file pack made), its .sha256, .sha256.minisig and \
            .json; base.json merged with every per-artifact .json it lacks and written only if nobody \
            changed it meanwhile (else read, merged and written again); the site built from every \
            network's base.json as it now is, tezos-snapshots.json (signed with the key) and the pages \
            that changed uploaded; permalinks moved last, each only to a complete object and never to \
            an older artifact. A published artifact is never overwritten; one already there with the \
            same bytes counts as done, so a retried Job finishes. A failing step is named, and the \
            pages and permalinks stay as they were.

            Stores are URLs: s3://bucket[/prefix], file:///path or a folder. Defaults come from \
            site.yml (store: with {network}, site_store:, permalink_store:). Credentials as the aws CLI reads them: \
            AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, --aws-profile or AWS_PROFILE, \
            web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), or --credentials-dir.

            Examples:
              shots publish /var/tezos --profile tezos-rolling --network mainnet --rpc http://127.0.0.1:8732 \\
                --store s3://mainnet.xtz-shots.io --site-store s3://xtz-shots.io --signing-key /secrets/shots.key
              shots publish out/tezos-mainnet-rolling-tarball-5250000.lz4 --store _build/store/mainnet \\
                --site-store _build/store/site
              shots publish /var/tezos --profile tezos-archive --network mainnet --rpc http://127.0.0.1:8732 --dry-run
            """
    )

    @Argument(help: "A node's data dir to pack, or an artifact file pack wrote (its .json, .sha256 and .sha256.minisig beside it).")
    var source: String

    @Flag(help: "Print the plan (objects to write, permalinks to move) and write nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("With --rpc: refuse to move the permalinks when the node's newest block is older than this, e.g. 5m (a node out of sync).",
                               valueName: "duration"))
    var maxBlockAge: String?

    func validate() throws {
        guard let maxBlockAge else { return }
        guard DurationText.seconds(maxBlockAge) != nil else { throw ValidationError("--max-block-age: expected \(DurationText.expectation), found \"\(maxBlockAge)\"") }
        guard pack.rpc != nil else { throw ValidationError("--max-block-age: needs --rpc, the node whose newest block is checked") }
    }

    @OptionGroup var pack: PackOptions
    @OptionGroup var stores: StoreSelection
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let scratch = ScratchFolder(verb: "publish")
        defer { scratch.remove() }
        let started = Date()
        let summary: PublishSummary
        do throws(Problem) {
            let request = try makeRequest(scratch: scratch.path, environment: environment)
            summary = try Publisher.run(request, log: { line in
                if line.hasPrefix("warning:") { standardError(line) } else { outputOptions.say(line) }
            })
        } catch {
            throw fail(error)
        }
        PublishReport.show(summary, dryRun: dryRun, status: "published", seconds: Date().timeIntervalSince(started), output: outputOptions)
        if !dryRun, let path = environment[JobReport.environmentVariable], !path.isEmpty { reportToDaemon(summary, at: path) }
    }

    /// Under `shots daemon`: what was published, for the snapshot's record and /metrics. Only a
    /// warning when it cannot be written: the publish succeeded, and must not be run again.
    private func reportToDaemon(_ summary: PublishSummary, at path: String) {
        let report = JobReport(artifact: summary.artifact?.filename, network: summary.artifact?.network, capturedHeight: summary.artifact?.blockHeight,
                               uploadedBytes: summary.written.reduce(0) { $0 + $1.bytes })
        do { try report.encoded().write(to: URL(fileURLWithPath: path)) } catch {
            standardError("warning: $\(JobReport.environmentVariable): cannot write the daemon's report: \((error as NSError).localizedDescription)")
        }
    }

    private func makeRequest(scratch: String, environment: [String: String]) throws(Problem) -> PublishRequest {
        let config = try pack.siteOptions.siteConfig()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
            throw Problem(origin: source, reason: "no such data dir or artifact file")
        }
        let sourceKind: PublishRequest.Source
        var networks = config.networks.map(\.id)
        if isFolder.boolValue {
            let packRequest = try pack.request(dataDir: source, output: scratch + "/companions", environment: environment)
            let progress = PackProgress.forStandardError(label: "packing \(packRequest.profile.name)", quiet: outputOptions.quiet || outputOptions.json || dryRun)
            sourceKind = .pack(packRequest, progress)
            networks.append(packRequest.network)
            try Self.check(packRequest.profile.family, config, origin: "--profile")
        } else {
            sourceKind = .packed(source)
            if let (network, family) = Self.network(ofMetadata: PublishedLayout.metadataKey(of: source)) {
                networks.append(network)
                try Self.check(family, config, origin: PublishedLayout.metadataKey(of: source))
            }
        }
        var request = try stores.request(sourceKind, networks: networks, config: config, site: pack.siteOptions,
                                         signingKey: try pack.signing.key(environment: environment),
                                         scratch: scratch, environment: environment)
        request.dryRun = dryRun
        if let maxBlockAge, let seconds = DurationText.seconds(maxBlockAge), let rpc = pack.rpc {
            request.freshnessGate = FreshnessGate(rpc: NodeRPC(baseURL: rpc), maxAgeSeconds: seconds)
            _ = try request.freshnessGate?.check()  // before the job's work, and again before the permalinks move
        }
        return request
    }

    /// The network a packed artifact's metadata names, to open its store (validated later), and
    /// its family: Polkadot metadata names its `chain`, Tezos its `chain_name`.
    private static func network(ofMetadata path: String) -> (String, ChainFamily)? {
        guard let data = FileManager.default.contents(atPath: path), let value = try? JSONParser.parse(data),
              let found = ChainFamily.of(metadata: value) else { return nil }
        return (found.network, found.family)
    }

    /// A site shows one family's artifacts: a Polkadot snapshot published with a Tezos site would
    /// be uploaded and then appear nowhere.
    private static func check(_ family: ChainFamily, _ config: SiteConfig, origin: String) throws(Problem) {
        guard family != config.family else { return }
        throw Problem(origin: origin, reason: "is a \(family.rawValue) artifact, but the site (--site) shows \(config.family.rawValue) artifacts: pass --site with a family: \(family.rawValue) site.yml")
    }
}

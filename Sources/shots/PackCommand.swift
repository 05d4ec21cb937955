import ArgumentParser
import Catalog
import Configuration
import Foundation
import Pipeline

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Pack a node's data dir into an artifact with its metadata, checksum and signature.",
        discussion: """
            Writes <filename>, <filename>.json (its metadata), <filename>.sha256 (for sha256sum -c) \
            and <filename>.sha256.minisig (for minisign -V) into the output folder. Tarballs are made \
            in one streaming pass: tar (node identity, peers, lock and key folders left out), LZ4 on \
            every core, SHA-256. A rolling snapshot is exported by the node binary. Nothing appears \
            under its final name until every output is complete; a failed run removes them all.

            Profiles: \(PackProfile.builtIn.map(\.name).joined(separator: ", ")).
            Block info: --block-height/--block-hash/--block-timestamp, --block-info-dir (files \
            BLOCK_HEIGHT, BLOCK_HASH, BLOCK_TIMESTAMP), or --rpc (the node's head block).
            The signing key: --signing-key FILE or SHOTS_SIGNING_KEY (an unencrypted minisign \
            secret key; create one with `shots keygen`).

            Examples:
              shots pack /var/tezos --profile tezos-rolling --network mainnet --rpc http://127.0.0.1:8732 \\
                --signing-key /secrets/shots.key -o /out
              shots pack /var/tezos --profile tezos-rolling-snapshot --network ghostnet \\
                --block-info-dir /var/tezos/block --node-version version.json -o /out
              shots pack /polkadot --profile kusama --block-height 21000000 --block-hash 0x... \\
                --node-version version.txt --pruning 1000 -o /out
            """
    )

    @Argument(help: "The node's data dir (for Tezos, the folder holding node/).")
    var dataDir: String

    @Option(help: "What to pack and how to name it.")
    var profile: String

    @Option(help: "The Tezos network (chain_name), e.g. mainnet.")
    var network: String?

    @Option(name: .shortAndLong, help: "The folder to write the artifact and its companions into.")
    var output = "."

    @Option(help: "Where the artifact will be downloaded from (default: artifact_host of the site's site.yml).")
    var baseURL: String?

    @Option(help: "The site folder whose site.yml gives the default --base-url.")
    var site = "site"

    @Option(help: "The block's height.") var blockHeight: String?
    @Option(help: "The block's hash.") var blockHash: String?
    @Option(help: "The block's time (ISO 8601 UTC; for Polkadot, when the snapshot was taken, default now).")
    var blockTimestamp: String?
    @Option(help: "A folder with the files BLOCK_HEIGHT, BLOCK_HASH and BLOCK_TIMESTAMP.")
    var blockInfoDir: String?
    @Option(help: "The Tezos node's RPC address: block info from its head, node version from /version.")
    var rpc: String?

    @Option(help: "The node version: the /version JSON (Tezos), or what `polkadot --version` prints.")
    var nodeVersion: String?

    @Option(help: "The Polkadot database format: rocksdb or paritydb (default: told by the data dir).")
    var database: String?
    @Option(help: "The Polkadot node's pruning mode: archive, or the number of blocks kept.")
    var pruning: String?

    @Option(help: "An unencrypted minisign secret key file (default: $SHOTS_SIGNING_KEY holds the key).")
    var signingKey: String?
    @Flag(help: "Write no signature (only when no key can be had; clients cannot verify the artifact's origin).")
    var unsigned = false

    @Option(help: "The node binary that exports snapshots.")
    var nodeBin = "octez-node"

    @Flag(help: "Replace an artifact of the same name and its companions (a failed run then removes them).")
    var force = false

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if unsigned, signingKey != nil { throw ValidationError("--unsigned and --signing-key contradict each other: give one") }
        if rpc != nil, let profile = PackProfile.builtIn.first(where: { $0.name == self.profile }), profile.family != .tezos {
            throw ValidationError("--rpc reads a Tezos node; for \(profile.name) give --block-height and --block-hash")
        }
    }

    func run() throws {
        signal(SIGXFSZ, SIG_IGN)  // a file size limit then fails a write with a message, not a kill
        InterruptCleanup.install()
        let environment = ProcessInfo.processInfo.environment
        do throws(Problem) {
            let profile = try PackProfile.named(self.profile)
            let network = try networkName(profile)
            let inputs = PackInputs(blockHeight: blockHeight, blockHash: blockHash, blockTimestamp: blockTimestamp, blockInfoDir: blockInfoDir,
                                    rpc: rpc, nodeVersionFile: nodeVersion, signingKeyFile: signingKey, unsigned: unsigned, environment: environment)
            let block = try inputs.block(family: profile.family)
            // Read once, then gone from the environment: no child process (the node) inherits it.
            let key = Result { () throws(Problem) in try inputs.signingKey() }
            unsetenv("SHOTS_SIGNING_KEY")
            var request = PackRequest(dataDir: dataDir, profile: profile, network: network, outputFolder: output,
                                      baseURL: try artifactBaseURL(network: network), block: block,
                                      signingKey: try key.get(), signingTime: try inputs.signingTime())
            if baseURL == nil { request.baseURLOrigin = (site as NSString).appendingPathComponent("site.yml") + " artifact_host" }
            request.nodeBinary = nodeBin
            request.replaceExisting = force
            request.database = database
            request.pruning = pruning
            switch profile.family {
            case .tezos: request.tezosVersion = try inputs.tezosVersion()
            case .polkadot: request.nodeVersion = try inputs.substrateVersion()
            }
            let progress = PackProgress.forStandardError(label: "packing \(profile.name)", quiet: outputOptions.quiet || outputOptions.json)
            let outcome = try Packer.pack(request, progress: progress)
            for path in outcome.paths { outputOptions.say(path) }
            let ratio = outcome.inputBytes > 0 ? Double(outcome.artifactBytes) / Double(outcome.inputBytes) : 0
            outputOptions.say(String(format: "%@: %@ from %@ read (%.1f%% of it)", outcome.paths[0],
                                     PackProgress.size(outcome.artifactBytes), PackProgress.size(outcome.inputBytes), ratio * 100))
            outputOptions.emit(.object([
                "status": .string("packed"), "files": .array(outcome.paths.map { .string($0) }),
                "input_bytes": .integer(outcome.inputBytes), "artifact": .object(outcome.metadata),
                "permalinks": permalinksJSON(profile.permalinks(network: network, database: outcome.metadata["database"].flatMap {
                    if case .string(let name) = $0 { name } else { nil }
                })),
            ]))
        } catch {
            throw fail(error)
        }
    }

    /// The permalinks as `--json` reports them: bucket object names and site paths.
    private func permalinksJSON(_ names: PermalinkNames) -> JSONValue {
        .object([
            "bucket": .array([.string(names.bucketKey), .string(names.metadataBucketKey)]),
            "site": .array(([names.sitePath, names.metadataSitePath] + [names.shortSitePath].compactMap { $0 }).map(JSONValue.string)),
        ])
    }

    private func networkName(_ profile: PackProfile) throws(Problem) -> String {
        if profile.family == .polkadot { return profile.chain }
        guard let network else { throw Problem(origin: "--network", reason: "the Tezos network is needed, e.g. --network mainnet") }
        guard TextForm.chainName.accepts(network) else {
            throw Problem(origin: "--network", reason: "expected \(TextForm.chainName.expectation), found \"\(network)\"")
        }
        return network
    }

    private func artifactBaseURL(network: String) throws(Problem) -> String {
        if let baseURL { return baseURL }
        guard FileManager.default.fileExists(atPath: (site as NSString).appendingPathComponent("site.yml")) else {
            throw Problem(origin: "--base-url", reason: "where the artifact will be downloaded from is needed: pass --base-url URL (or --site with an artifact_host)")
        }
        return try SiteConfig.load(folder: site).artifactHost(for: network)
    }
}

import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
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

    @Option(name: .shortAndLong, help: "The folder to write the artifact and its companions into.")
    var output = "."

    @OptionGroup var pack: PackOptions

    @Flag(help: "Replace an artifact of the same name and its companions (a failed run then removes them).")
    var force = false

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if pack.profile == nil { throw ValidationError("Missing expected argument '--profile <profile>'") }
    }

    func run() throws {
        signal(SIGXFSZ, SIG_IGN)  // a file size limit then fails a write with a message, not a kill
        InterruptCleanup.install()
        do throws(Problem) {
            var request = try pack.request(dataDir: dataDir, output: output, environment: ProcessInfo.processInfo.environment)
            request.replaceExisting = force
            let profile = request.profile
            // The permalinks --json reports carry the site's short names: a site.yml that is there
            // must read (before anything is packed); without one, pack needs none (--base-url).
            let siteFile = (pack.site as NSString).appendingPathComponent("site.yml")
            let layout = FileManager.default.fileExists(atPath: siteFile) ? try pack.siteOptions.siteConfig().layout : PublishedLayout(family: profile.family)
            let progress = PackProgress.forStandardError(label: "packing \(profile.name)", quiet: outputOptions.quiet || outputOptions.json)
            let outcome = try Packer.pack(request, progress: progress)
            for path in outcome.paths { outputOptions.say(path) }
            let ratio = outcome.inputBytes > 0 ? Double(outcome.artifactBytes) / Double(outcome.inputBytes) : 0
            outputOptions.say(String(format: "%@: %@ from %@ read (%.1f%% of it)", outcome.paths[0],
                                     PackProgress.size(outcome.artifactBytes), PackProgress.size(outcome.inputBytes), ratio * 100))
            outputOptions.emit(.object([
                "status": .string("packed"), "files": .array(outcome.paths.map { .string($0) }),
                "input_bytes": .integer(outcome.inputBytes), "artifact": .object(outcome.metadata),
                "permalinks": permalinksJSON(profile.permalinks(network: request.network, database: outcome.metadata["database"].flatMap {
                    if case .string(let name) = $0 { name } else { nil }
                }, layout: layout)),
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
}

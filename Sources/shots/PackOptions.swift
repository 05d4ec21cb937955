import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline

/// What `pack` and `publish` (from a data dir) share: the profile, block info, node version,
/// signing key. One definition, so the two verbs cannot drift.
struct PackOptions: ParsableArguments {
    @Option(help: "What to pack and how to name it.")
    var profile: PackProfile?

    @Option(help: "The Tezos network (chain_name), e.g. mainnet.")
    var network: String?

    @Option(help: "Where the artifact will be downloaded from (default: artifact_host of the site's site.yml).")
    var baseURL: String?

    @OptionGroup var siteOptions: SiteOptions
    var site: String { siteOptions.site }

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

    @Option(help: "The Polkadot database format (default: told by the data dir).")
    var database: SubstrateDatabase?
    @Option(help: "The Polkadot node's pruning mode: archive, or the number of blocks kept.")
    var pruning: String?

    @OptionGroup var signing: SigningOptions

    @Option(help: "The node binary that exports snapshots.")
    var nodeBin = "octez-node"

    func validate() throws {
        if rpc != nil, let profile, profile.family != .tezos {
            throw ValidationError("--rpc reads a Tezos node; for \(profile.name) give --block-height and --block-hash")
        }
    }

    /// The pack request for `dataDir`, writing into `output`. The signing key is read once and
    /// then removed from the environment: no child process (the node) inherits it.
    func request(dataDir: String, output: String, environment: [String: String]) throws(Problem) -> PackRequest {
        guard let profile else {
            throw Problem(origin: "--profile", reason: "what to pack is needed: one of \(PackProfile.builtIn.map(\.name).joined(separator: ", "))")
        }
        let network = try networkName(profile)
        let inputs = PackInputs(blockHeight: blockHeight, blockHash: blockHash, blockTimestamp: blockTimestamp, blockInfoDir: blockInfoDir,
                                rpc: rpc, nodeVersionFile: nodeVersion, signingKeyFile: signing.signingKey, unsigned: signing.unsigned, environment: environment)
        let block = try inputs.block(family: profile.family)
        let key = Result { () throws(Problem) in try inputs.signingKey() }
        unsetenv("SHOTS_SIGNING_KEY")
        var request = PackRequest(dataDir: dataDir, profile: profile, network: network, outputFolder: output,
                                  baseURL: try artifactBaseURL(network: network), block: block,
                                  signingKey: try key.get(), signingTime: try inputs.signingTime())
        if baseURL == nil { request.baseURLOrigin = (site as NSString).appendingPathComponent("site.yml") + " artifact_host" }
        request.nodeBinary = nodeBin
        request.database = database
        request.pruning = pruning
        switch profile.family {
        case .tezos: request.tezosVersion = try inputs.tezosVersion()
        case .polkadot: request.nodeVersion = try inputs.substrateVersion()
        }
        return request
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
        return try siteOptions.siteConfig().artifactHost(for: network)
    }
}

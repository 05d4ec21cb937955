import ArgumentParser
import Catalog
import Configuration
import Foundation
import Pipeline
import Publish
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

    @Option(help: "The network store ({network} is replaced; default: store: in site.yml).")
    var store: String?
    @Option(help: "The website store (default: site_store: in site.yml).")
    var siteStore: String?
    @Option(help: ArgumentHelp("Where each network's permalinks go when not beside its artifacts, e.g. an AWS bucket for artifacts on DigitalOcean Spaces ({network} is replaced; default: permalink_store: in site.yml, else the network store). Reached with the --site-* flags.", valueName: "store"))
    var permalinkStore: String?
    @Option(help: "A canned ACL for the network stores' objects, e.g. public-read (DigitalOcean Spaces); default: the bucket's.")
    var acl: String?
    @Option(help: "A canned ACL for the website's objects and the --permalink-store's; default: the bucket's.")
    var siteAcl: String?
    @Option(help: "The folder of themes (default: $SHOTS_TEMPLATES, ./templates, the one beside the site folder, else shots:templates, the themes built into shots).")
    var templates: String?
    @Flag(help: "Print the plan (objects to write, permalinks to move) and write nothing.")
    var dryRun = false

    @OptionGroup var pack: PackOptions
    @OptionGroup var storeFlags: StoreFlags
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        signal(SIGXFSZ, SIG_IGN)
        InterruptCleanup.install()
        let environment = ProcessInfo.processInfo.environment
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("shots-publish-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        InterruptCleanup.register(scratch)
        defer {
            try? FileManager.default.removeItem(atPath: scratch)
            InterruptCleanup.forget(scratch)
        }
        let started = Date()
        let summary: PublishSummary
        do throws(Problem) {
            let request = try makeRequest(scratch: scratch, environment: environment)
            summary = try Publisher.run(request, log: { line in
                if line.hasPrefix("warning:") { standardError(line) } else { outputOptions.say(line) }
            })
        } catch {
            throw fail(error)
        }
        report(summary, seconds: Date().timeIntervalSince(started))
    }

    private func makeRequest(scratch: String, environment: [String: String]) throws(Problem) -> PublishRequest {
        let config = try pack.siteConfig()
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
            if let (network, family) = Self.network(ofMetadata: source + ".json") {
                networks.append(network)
                try Self.check(family, config, origin: source + ".json")
            }
        }
        let log: @Sendable (String) -> Void = { line in standardError("shots: \(line)") }
        var stores: [String: ObjectStore] = [:]
        for network in Set(networks) {
            let address = store?.replacingOccurrences(of: "{network}", with: network) ?? config.store(for: network, siteFolder: pack.site)
            guard let address else { continue }
            stores[network] = try StoreAddress.open(address, flag: "--store", options: storeFlags.options(site: false, environment: environment), log: log)
        }
        var permalinkStores = stores
        for network in stores.keys {
            let address = permalinkStore?.replacingOccurrences(of: "{network}", with: network) ?? config.permalinkStore(for: network, siteFolder: pack.site)
            guard let address else { continue }
            permalinkStores[network] = try StoreAddress.open(address, flag: "--permalink-store", options: storeFlags.options(site: true, environment: environment), log: log)
        }
        guard let siteAddress = siteStore ?? config.siteStore(siteFolder: pack.site) else {
            throw Problem(origin: "--site-store", reason: "where the website goes is needed: --site-store URL, or site_store: in site.yml")
        }
        let site = try StoreAddress.open(siteAddress, flag: "--site-store", options: storeFlags.options(site: true, environment: environment), log: log)
        try Self.checkApart(networks: stores, permalinks: permalinkStores, site: site)
        let inputs = PackInputs(signingKeyFile: pack.signingKey, unsigned: pack.unsigned, environment: environment)
        let key = pack.unsigned ? nil : try inputs.signingKey()
        var request = PublishRequest(source: sourceKind, config: config, siteFolder: pack.site,
                                     templatesFolder: templates ?? BuildOptions.defaultTemplatesFolder(site: pack.site, environment: environment),
                                     networkStores: stores, siteStore: site, signingKey: key, acl: acl, scratch: scratch, environment: environment)
        request.permalinkStores = permalinkStores
        request.siteACL = siteAcl
        request.dryRun = dryRun
        request.previewOrigin = pack.preview
        return request
    }

    /// Stores that share keys would overwrite each other's objects: two networks' base.json, or a
    /// network's index.html over the site's page of that network.
    private static func checkApart(networks: [String: ObjectStore], permalinks: [String: ObjectStore], site: ObjectStore) throws(Problem) {
        var named = networks.sorted { $0.key < $1.key }.map { ("--store of \($0.key)", $0.value) }
        named += permalinks.sorted { $0.key < $1.key }.filter { networks[$0.key] !== $0.value }.map { ("--permalink-store of \($0.key)", $0.value) }
        named.append(("--site-store", site))
        for (index, (origin, store)) in named.enumerated() {
            for (otherOrigin, other) in named[(index + 1)...] where store.keySpace.hasPrefix(other.keySpace) || other.keySpace.hasPrefix(store.keySpace) {
                throw Problem(origin: origin, reason: "\(store.address) overlaps \(otherOrigin) \(other.address): each network and the website need a store (or a prefix, as in s3://bucket/{network} and s3://bucket/site) of their own")
            }
        }
    }

    /// The network a packed artifact's metadata names, to open its store (validated later), and
    /// its family: Polkadot metadata names its `chain`, Tezos its `chain_name`.
    private static func network(ofMetadata path: String) -> (String, ChainFamily)? {
        guard let data = FileManager.default.contents(atPath: path), let value = try? JSONParser.parse(data) else { return nil }
        if case .string(let name)? = value["chain_name"] { return (name, .tezos) }
        if case .string(let name)? = value["chain"] { return (name, .polkadot) }
        return nil
    }

    /// A site shows one family's artifacts: a Polkadot snapshot published with a Tezos site would
    /// be uploaded and then appear nowhere.
    private static func check(_ family: ChainFamily, _ config: SiteConfig, origin: String) throws(Problem) {
        guard family != config.family else { return }
        throw Problem(origin: origin, reason: "is a \(family.rawValue) artifact, but the site (--site) shows \(config.family.rawValue) artifacts: pass --site with a family: \(family.rawValue) site.yml")
    }

    private func report(_ summary: PublishSummary, seconds: Double) {
        if dryRun {
            outputOptions.say("dry run: nothing was written. The plan:")
            let moved = Set(summary.permalinkMoves.map { "\($0.store)/\($0.key)" })
            for object in summary.written where !moved.contains("\(object.store)/\(object.key)") {
                outputOptions.say("  write \(object.store)/\(object.key)")
            }
            for move in summary.permalinkMoves {
                outputOptions.say("  move  \(move.store)/\(move.key): \(move.from ?? "(none)") -> \(move.to)")
            }
        } else {
            var rows = [["step", "objects", "size", "time", "throughput"]]
            for step in summary.steps {
                let rate = step.seconds > 0 && step.bytes > 0 ? PackProgress.size(Int64(Double(step.bytes) / step.seconds)) + "/s" : "-"
                rows.append([step.name, String(step.objects), PackProgress.size(step.bytes), String(format: "%.2f s", step.seconds), rate])
            }
            let total = summary.written.reduce(Int64(0)) { $0 + $1.bytes }
            rows.append(["total", String(summary.written.count), PackProgress.size(total), String(format: "%.2f s", seconds), "-"])
            let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                outputOptions.say(zip(row, widths).enumerated().map { index, cell in
                    index == 0 ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
                }.joined(separator: "  "))
            }
        }
        outputOptions.emit(.object([
            "status": .string(dryRun ? "planned" : "published"),
            "artifact": summary.artifact.map { .string($0.filename) } ?? .null,
            "base_json_retries": .integer(Int64(summary.baseRetries)),
            "steps": .array(summary.steps.map { step in
                .object(["name": .string(step.name), "seconds": .number(String(format: "%.3f", step.seconds)), "objects": .integer(Int64(step.objects)),
                         "bytes": .integer(step.bytes), "detail": .string(step.detail)])
            }),
            "permalinks": .array(summary.permalinkMoves.map { move in
                .object(["store": .string(move.store), "key": .string(move.key), "from": move.from.map(JSONValue.string) ?? .null, "to": .string(move.to)])
            }),
            "written": .array(summary.written.map { .object(["store": .string($0.store), "key": .string($0.key), "bytes": .integer($0.bytes)]) }),
        ]))
    }
}

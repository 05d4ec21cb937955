import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Pipeline
import Restore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Download, verify and extract a snapshot into a node's data folder in one streaming pass.",
        discussion: """
            SOURCE is an artifact URL or a permalink (followed once; every request then goes to \
            the artifact it led to), or, with --network, a site whose signed tezos-snapshots.json \
            is read to choose the artifact as the tezos-k8s chart does (network, --history-mode, \
            --kind, the newest block, preferring --octez-major's builds).

            The artifact streams from the network through its SHA-256 and the decoder (LZ4 or zstd) into tar \
            extraction in a staging folder inside DEST: no compressed copy is kept. Only once its \
            size, hash and signature all check do the staged entries replace DEST's (DEST itself, \
            often a volume's mount point, stays). A damaged, tampered or cut download leaves DEST \
            exactly as it was. What a tarball never carries (the node's identity, peers, keystore, \
            network keys) and the --keep paths stay as they are in DEST. Keeping DEST's contents until then needs room for both; the free \
            space is checked first, against the extracted size the metadata records, and \
            --free-first removes the current contents before the download instead (a failure then \
            leaves DEST empty but for the --keep paths, never half-restored). A .rolling snapshot is \
            downloaded and verified the same way, then imported by the node binary.

            A dropped connection is resumed from the byte it reached (HTTP ranges), within the run; \
            a restore that is itself killed starts over the next time. Hosts that ignore ranges get \
            one stream. Progress shows on standard error.

            Examples:
              shots restore https://mainnet.xtz-shots.io/rolling-tarball /var/tezos --public-key RWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY
              shots restore https://xtz-shots.io /var/tezos --network mainnet --history-mode rolling --octez-major 20
              shots restore https://mainnet.xtz-shots.io/rolling /var/tezos --public-key shots.pub --node-bin /usr/local/bin/octez-node
              shots restore https://polkashots.io/dot/rocksdb ~/.local/share/polkadot/chains/polkadot --site https://polkashots.io --free-first
            """
    )

    @Argument(help: ArgumentHelp("An artifact URL or permalink; a site's URL with --network.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The folder to fill: the node's data folder (/var/tezos), or a chain's folder for Polkadot.", valueName: "dest"))
    var destination: String

    @Option(help: "Choose the artifact from SOURCE's signed catalog for this network (SOURCE is then the site).")
    var network: String?

    @Option(help: "With --network: the history mode to choose (default: rolling).")
    var historyMode: HistoryMode?

    @Option(help: "With --network: the artifact type to choose (default: tarball).")
    var kind: ArtifactType?

    @Option(help: "With --network: prefer artifacts built by this octez major version (the node's), as the tezos-k8s chart does.")
    var octezMajor: Int64?

    @Option(name: .customLong("keep"), help: ArgumentHelp(
        "A path in DEST kept as it is across the restore (repeatable); what a tarball never carries (node/data/identity.json, peers.json, keystore, network...) always is.",
        valueName: "path"))
    var kept: [String] = []

    @Flag(help: "Remove DEST's current contents before the download, when there is no room for both.")
    var freeFirst = false

    @Option(help: "The node binary that imports a .rolling snapshot.")
    var nodeBin = "octez-node"

    @OptionGroup var trust: TrustOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard network == nil else { return }
        for (flag, given) in [("--octez-major", octezMajor != nil), ("--history-mode", historyMode != nil), ("--kind", kind != nil)] where given {
            throw ValidationError("\(flag): only with --network (choosing from a site's catalog); SOURCE is then the site")
        }
    }

    func run() throws {
        InterruptCleanup.install()
        let outcome: RestoreOutcome
        do throws(Problem) {
            let picker = network.map { SnapshotPicker(network: $0, historyMode: historyMode ?? .rolling, artifactType: kind ?? .tarball, octezMajor: octezMajor) }
            let request = RestoreRequest(source: source, destination: destination, keys: try trust.keys(sourceSite: picker == nil ? nil : source),
                                         checksumOnly: trust.checksumOnly, picker: picker, maxCatalogAgeSeconds: trust.maxAgeSeconds,
                                         connections: trust.connections, kept: kept, freeFirst: freeFirst, nodeBinary: nodeBin)
            // Standard output is the summary (or JSON); what happens on the way goes to standard error.
            let quiet = outputOptions.quiet
            outcome = try Restoration.run(request, progress: .forStandardError(label: "restore", quiet: quiet || outputOptions.json), log: { line in
                if !quiet || line.hasPrefix("warning:") { standardError(line) }
            })
        } catch {
            throw fail(error)
        }
        let signature = outcome.signedBy.map { "signed by key \($0)" } ?? "signature NOT checked (--checksum-only)"
        outputOptions.say("restored \(outcome.filename) into \(destination): \(outcome.entries) entries, \(PackProgress.size(outcome.extractedBytes)) extracted; "
            + "\(outcome.size) bytes, sha256 \(outcome.sha256), \(signature); \(String(format: "%.1f", outcome.seconds)) s"
            + (outcome.resumptions > 0 ? ", \(outcome.resumptions) connections resumed" : ""))
        var fields: [(String, JSONValue)] = [
            ("restored", .string(outcome.filename)), ("url", .string(URLSecrets.redacted(outcome.url))), ("destination", .string(destination)),
            ("size", .integer(outcome.size)), ("sha256", .string(outcome.sha256)), ("entries", .integer(Int64(outcome.entries))),
            ("extracted_bytes", .integer(outcome.extractedBytes)), ("seconds", .number(String(format: "%.3f", outcome.seconds))),
            ("resumptions", .integer(Int64(outcome.resumptions))), ("refetched_bytes", .integer(outcome.refetchedBytes)),
        ]
        if let key = outcome.signedBy { fields.append(("signed_by", .string(key))) }
        outputOptions.emit(.object(JSONObject(fields)))
    }
}

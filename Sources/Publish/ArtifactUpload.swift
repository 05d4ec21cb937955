import Catalog
import Infrastructure
import Foundation
import Pipeline
import Storage

/// The first steps: the artifact, then its `.sha256`, `.sha256.minisig` and, last, its `.json`
/// (whoever finds the metadata finds the rest complete). Each is written only if absent; one
/// already there counts as done when it belongs to the same bytes, so a retried Job finishes.
enum ArtifactUpload {
    /// The artifact as packed: its metadata, the folder holding its companions, and its name.
    struct Packed {
        var artifact: PublishedArtifact
        var metadata: Data
        var companionsFolder: String
        var store: ObjectStore
    }

    /// Packs the data dir straight into the network's store.
    static func pack(_ request: PackRequest, progress: PackProgress, stores: [String: ObjectStore], writes: StoreWrites,
                     scratch: String) throws(Problem) -> Packed? {
        let store = try storeFor(request.network, stores)
        let filename = request.profile.filename(network: request.network, height: request.block.height,
                                                database: request.profile.family == .polkadot ? try request.substrateDatabase() : nil)
        var local = request
        local.outputFolder = scratch + "/companions"
        if writes.dryRun {
            // What follows depends on the packed bytes: the plan names the objects, not their contents.
            for key in PublishedLayout.objects(of: filename) { writes.record(store, key, 0) }
            return nil
        }
        let sink = try StoreSink(store: store, key: filename, headers: writes.headers(for: filename, in: store))
        let outcome = try Packer.pack(local, sink: sink, progress: progress)
        if !sink.alreadyPublished { writes.record(store, filename, outcome.artifactBytes) }
        let metadata = JSONWriter().data(.object(outcome.metadata))
        let artifact = try PublishedArtifact(.object(outcome.metadata), family: request.profile.family, origin: PublishedLayout.metadataKey(of: filename))
        return Packed(artifact: artifact, metadata: metadata, companionsFolder: local.outputFolder, store: store)
    }

    /// Uploads an artifact `pack` wrote, after checking it against its `.json` and `.sha256`.
    static func upload(_ path: String, family: ChainFamily, stores: [String: ObjectStore], writes: StoreWrites,
                       progress: PackProgress) throws(Problem) -> Packed {
        let folder = PathText.parent(path).isEmpty ? "." : PathText.parent(path)
        guard let metadata = FileManager.default.contents(atPath: PublishedLayout.metadataKey(of: path)) else {
            throw Problem(origin: PublishedLayout.metadataKey(of: path), reason: "cannot be read: pack writes it beside the artifact")
        }
        let parsed: JSONValue
        do throws(JSONSyntaxError) { parsed = try JSONParser.parse(metadata) } catch { throw Problem(origin: PublishedLayout.metadataKey(of: path), reason: "\(error)") }
        let artifact = try PublishedArtifact(parsed, family: family, origin: PublishedLayout.metadataKey(of: path))
        guard artifact.filename == PathText.name(path) else {
            throw Problem(origin: PublishedLayout.metadataKey(of: path), reason: "describes \(Problem.quoted(artifact.filename)), not \(Problem.quoted(PathText.name(path)))")
        }
        let store = try storeFor(artifact.network, stores)
        let packed = Packed(artifact: artifact, metadata: metadata, companionsFolder: folder, store: store)
        if writes.dryRun {
            writes.record(store, artifact.filename, artifact.filesizeBytes)
            return packed
        }
        let sink = try StoreSink(store: store, key: artifact.filename, headers: writes.headers(for: artifact.filename, in: store))
        let hashed = HashingSink(sink)
        do throws(Problem) { _ = try hashed.copy(file: path, what: "the artifact", progress: progress) } catch {
            sink.abort()
            throw error
        }
        let sha256 = hashed.hexDigest()
        guard sha256 == artifact.sha256 else {
            sink.abort()
            throw Problem(origin: path, reason: "its SHA-256 is \(sha256), but its .json says \(artifact.sha256): the file or its metadata changed since pack")
        }
        try sink.finish()
        if !sink.alreadyPublished { writes.record(store, artifact.filename, artifact.filesizeBytes) }
        return packed
    }

    /// `.sha256`, `.sha256.minisig` (when there is one), then `.json`.
    static func uploadCompanions(_ packed: Packed, writes: StoreWrites) throws(Problem) -> Int {
        let name = packed.artifact.filename
        let checksum = Data("\(packed.artifact.sha256)  \(name)\n".utf8)
        if let onDisk = FileManager.default.contents(atPath: packed.companionsFolder + "/" + PublishedLayout.checksumKey(of: name)), onDisk != checksum {
            throw Problem(origin: packed.companionsFolder + "/" + PublishedLayout.checksumKey(of: name), reason: "does not match the artifact's sha256 in its .json")
        }
        var companions: [(String, Data)] = [(PublishedLayout.checksumKey(of: name), checksum)]
        if let signature = FileManager.default.contents(atPath: packed.companionsFolder + "/" + PublishedLayout.signatureKey(of: name)) {
            companions.append((PublishedLayout.signatureKey(of: name), signature))
        }
        companions.append((PublishedLayout.metadataKey(of: name), packed.metadata))
        for (key, data) in companions {
            guard case .conditionFailed = try writes.put(packed.store, key, data, condition: .ifAbsent) else { continue }
            try acceptExisting(key, data, packed)
        }
        return companions.count
    }

    /// A companion already published is kept if it is this one, or (a signature, metadata that
    /// differs only in when it was made) if the published checksum is this artifact's.
    private static func acceptExisting(_ key: String, _ data: Data, _ packed: Packed) throws(Problem) {
        let store = packed.store
        guard let existing = try store.get(key) else { return }
        if existing.data == data { return }
        let checksum = try store.get(PublishedLayout.checksumKey(of: packed.artifact.filename))?.data
        let sameArtifact = checksum.map { String(decoding: $0, as: UTF8.self).hasPrefix(packed.artifact.sha256 + " ") } ?? false
        if sameArtifact, key != PublishedLayout.checksumKey(of: packed.artifact.filename) { return }
        throw Problem(origin: "\(store.address)/\(key)", reason: "already published with other contents; a published artifact's files are never replaced (withdraw it first)")
    }

    private static func storeFor(_ network: String, _ stores: [String: ObjectStore]) throws(Problem) -> ObjectStore {
        guard let store = stores[network] else {
            throw Problem(origin: "--store", reason: "no store for network \(Problem.quoted(network)): pass --store URL or give it a store in site.yml")
        }
        return store
    }
}

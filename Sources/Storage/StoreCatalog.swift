import Catalog
import Infrastructure
import Foundation

/// A network store's catalog as it is now, read one way by every verb that needs it: publish's
/// site build, withdraw, prune and the preview's `/health`. A Tezos network keeps `base.json`
/// (the one shared write); a Polkadot or Kusama chain keeps none, as polkashots never had one: its
/// `<filename>.json` objects are its catalog, each written once by the publisher of its artifact.
/// Withdrawn artifacts (`WithdrawnRecord`) are never in it.
public struct StoreCatalog {
    /// Every artifact in the catalog, withdrawn ones left out.
    public var artifacts: [PublishedArtifact]
    /// Changes whenever another publisher changes the catalog (base.json's ETag, or the list of
    /// metadata objects).
    public var version: String
    /// Made only when asked: withdraw, prune and `/health` never need the bytes.
    private let makeDocuments: () -> [(name: String, data: Data)]

    /// The catalog as a site build reads it, by file name: base.json (without withdrawn
    /// artifacts), or each metadata object.
    public var documents: [(name: String, data: Data)] { makeDocuments() }

    /// Nil when the store has no catalog yet. `excluding` leaves out more (a dry run's
    /// withdrawal, not recorded yet).
    public static func read(_ store: ObjectStore, layout: PublishedLayout, excluding: Set<String> = []) throws(Problem) -> StoreCatalog? {
        let withdrawn = excluding.union(try WithdrawnRecord.names(store))
        guard let key = layout.catalogKey else { return try readMetadataObjects(store, withdrawn: withdrawn) }
        guard let base = try store.get(key) else { return nil }
        var catalog = BaseCatalog()
        for entry in try MetadataLoader.loadCatalog(base.data, origin: key) {
            switch entry {
            case .success(let loaded): if !withdrawn.contains(loaded.artifact.filename) { _ = catalog.insert(loaded.artifact, from: key) }
            case .failure(let problem): throw Problem(origin: "\(store.address)/\(key)", reason: "holds an invalid entry: \(problem.reason)")
            }
        }
        return StoreCatalog(artifacts: catalog.artifacts.map(PublishedArtifact.init), version: base.etag,
                            makeDocuments: { [catalog] in [(key, withdrawn.isEmpty ? base.data : catalog.encoded())] })
    }

    /// The catalog's version without reading it, to tell whether another publisher changed it.
    /// For Polkadot, of the same objects `read` reads: a withdrawn artifact's `.json` left in the
    /// store (`--keep-objects`, or until withdraw deletes it) changes nothing.
    public static func version(_ store: ObjectStore, layout: PublishedLayout) throws(Problem) -> String? {
        guard let key = layout.catalogKey else { return version(of: try metadataObjects(store, withdrawn: try WithdrawnRecord.names(store))) }
        return try store.head(key)?.etag
    }

    private static func readMetadataObjects(_ store: ObjectStore, withdrawn: Set<String>) throws(Problem) -> StoreCatalog? {
        let listed = try metadataObjects(store, withdrawn: withdrawn)
        if listed.isEmpty { return nil }
        var artifacts: [PublishedArtifact] = []
        var documents: [(name: String, data: Data)] = []
        for object in listed {
            guard let got = try store.get(object.key) else { continue }
            guard got.data.count <= MetadataFile.artifactSizeLimit else {
                throw Problem(origin: "\(store.address)/\(object.key)", reason: MetadataFile.overLimit(got.data.count, MetadataFile.artifactSizeLimit))
            }
            let metadata = try parse(got.data, "\(store.address)/\(object.key)")
            let artifact: PolkadotArtifact
            do throws(ArtifactError) { artifact = try PolkadotArtifact.validated(metadata) } catch {
                throw Problem(origin: "\(store.address)/\(object.key)", reason: "is not valid snapshot metadata: \(error)")
            }
            guard PublishedLayout.metadataKey(of: artifact.filename) == object.key else {
                throw Problem(origin: "\(store.address)/\(object.key)",
                              reason: "metadata for \(Problem.quoted(artifact.filename)) must be named \(Problem.quoted(PublishedLayout.metadataKey(of: artifact.filename)))")
            }
            artifacts.append(PublishedArtifact(artifact))
            documents.append((object.key, got.data))
        }
        return StoreCatalog(artifacts: artifacts, version: version(of: listed), makeDocuments: { [documents] in documents })
    }

    private static func parse(_ data: Data, _ origin: String) throws(Problem) -> JSONValue {
        do throws(JSONSyntaxError) { return try JSONParser.parse(data) } catch {
            throw Problem(origin: origin, reason: "is not valid snapshot metadata: \(error)")
        }
    }

    /// The store's top-level `<filename>.json` objects, but those of withdrawn artifacts.
    private static func metadataObjects(_ store: ObjectStore, withdrawn: Set<String>) throws(Problem) -> [ObjectInfo] {
        try store.list(prefix: "").filter { object in
            PublishedLayout.artifactName(ofMetadataKey: object.key).map { !withdrawn.contains($0) } ?? false
        }.sorted { $0.key < $1.key }
    }

    private static func version(of objects: [ObjectInfo]) -> String {
        Hex.md5(Data(objects.map { "\($0.key) \($0.etag)\n" }.joined().utf8))
    }
}

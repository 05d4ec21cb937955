import Catalog
import Foundation
import Storage

/// A network store's catalog as it is now, for the site. A Tezos network keeps `base.json` (the
/// one shared write, merged by `BaseCatalogUpdate`); a Polkadot or Kusama chain keeps none, as
/// polkashots never had one: its `<filename>.json` objects are its catalog, each written once by
/// the publisher of its artifact, so concurrent publishers cannot lose each other's.
enum StoreCatalog {
    struct Read {
        /// Where the catalog was copied for the site build: a base.json, or a folder of metadata.
        var source: String
        var artifacts: [PublishedArtifact]
        /// Changes whenever another publisher changes the catalog (base.json's ETag, or the list of metadata objects).
        var version: String
    }

    /// Nil when the store has no catalog yet. Withdrawn artifacts (the store's record, and
    /// `excluding`: a dry run's, not recorded yet) are left out.
    static func read(_ store: ObjectStore, family: ChainFamily, into folder: String, excluding: Set<String> = []) throws(Problem) -> Read? {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let withdrawn = excluding.union(try WithdrawnRecord.names(store))
        switch family {
        case .tezos:
            guard let base = try store.get(BaseCatalogUpdate.key) else { return nil }
            let path = folder + "/" + BaseCatalogUpdate.key
            try BaseCatalogUpdate.write(base.data, to: path)
            var catalog = BaseCatalog()
            for entry in try MetadataLoader.loadCatalog(at: path) {
                switch entry {
                case .success(let loaded): if !withdrawn.contains(loaded.artifact.filename) { _ = catalog.insert(loaded.artifact, from: path) }
                case .failure(let problem): throw Problem(origin: "\(store.address)/\(BaseCatalogUpdate.key)", reason: "holds an invalid entry: \(problem.reason)")
                }
            }
            if !withdrawn.isEmpty { try BaseCatalogUpdate.write(catalog.encoded(), to: path) }
            return Read(source: path, artifacts: catalog.artifacts.map(PublishedArtifact.init), version: base.etag)
        case .polkadot:
            let listed = try metadataObjects(store).filter { !withdrawn.contains(String($0.key.dropLast(5))) }
            if listed.isEmpty { return nil }
            for object in listed {
                guard let got = try store.get(object.key) else { continue }
                try BaseCatalogUpdate.write(got.data, to: folder + "/" + object.key)
            }
            let loaded = try PolkadotArtifact.load(folders: [folder])
            if let reject = loaded.rejects.first {
                throw Problem(origin: "\(store.address)/\(PathText.name(reject.origin))", reason: "is not valid snapshot metadata: \(reject.reason)")
            }
            return Read(source: folder, artifacts: loaded.artifacts.map(PublishedArtifact.init), version: version(of: listed))
        }
    }

    /// The catalog's version without reading it, to tell whether another publisher changed it.
    static func version(_ store: ObjectStore, family: ChainFamily) throws(Problem) -> String? {
        switch family {
        case .tezos: try store.head(BaseCatalogUpdate.key)?.etag
        case .polkadot: version(of: try metadataObjects(store))
        }
    }

    private static func metadataObjects(_ store: ObjectStore) throws(Problem) -> [ObjectInfo] {
        try store.list(prefix: "").filter { !$0.key.contains("/") && $0.key.hasSuffix(".json") && $0.key != BaseCatalogUpdate.key }
            .sorted { $0.key < $1.key }
    }

    private static func version(of objects: [ObjectInfo]) -> String {
        Hex.md5(Data(objects.map { "\($0.key) \($0.etag)\n" }.joined().utf8))
    }
}

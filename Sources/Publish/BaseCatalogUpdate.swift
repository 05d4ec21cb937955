import Catalog
import Infrastructure
import Foundation
import Storage

/// The one shared write: the network's base.json gains every per-artifact `.json` in the store
/// that it lacks (the new one, and any a failed run left), and is written only if nobody wrote
/// it meanwhile (its ETag). A publisher that loses the race reads it again, merges again and
/// retries, so two publishers never lose each other's artifacts.
enum BaseCatalogUpdate {
    static let key = PublishedLayout.baseCatalogKey
    static let attempts = 30

    struct Outcome {
        var catalog: BaseCatalog
        var added: Int
        var retries: Int
        var rejects: [Problem]
    }

    /// `adding` is the new artifact's name and metadata (merged even before the store lists it: a dry run).
    static func run(store: ObjectStore, adding: (filename: String, metadata: Data), writes: StoreWrites, scratch: String,
                    log: (String) -> Void) throws(Problem) -> Outcome {
        var retries = 0
        let addedKey = PublishedLayout.metadataKey(of: adding.filename)
        for attempt in 1...attempts {
            let current = try store.get(key)
            let folder = scratch + "/merge-\(attempt)"
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.createDirectory(atPath: folder + "/new", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let basePath = folder + "/" + key
            if let current { try write(current.data, to: basePath) }
            // A withdrawn artifact's leftover .json is never merged back.
            let withdrawn = try WithdrawnRecord.names(store)
            let known = (current == nil ? [] : Set((try? MetadataLoader.filenames(inCatalogAt: basePath)) ?? [])).union(withdrawn)
            var lacking = try store.list(prefix: "").map(\.key).filter { key in
                guard key != addedKey, let artifact = PublishedLayout.artifactName(ofMetadataKey: key) else { return false }
                return !known.contains(artifact)
            }
            for name in lacking {
                if let object = try store.get(name) { try write(object.data, to: folder + "/new/" + name) }
            }
            if attempt == 1, withdrawn.contains(adding.filename) {
                log("warning: \(store.address)/\(adding.filename) was withdrawn (\(PublishedLayout.withdrawnKey)): it stays out of base.json")
            }
            if !known.contains(adding.filename) {
                try write(adding.metadata, to: folder + "/new/" + addedKey)
                lacking.append(addedKey)
            }
            let merged: MergedCatalog
            do throws(MergeFailure) {
                merged = try merge(MergeRequest(sources: lacking.isEmpty ? [] : [folder + "/new"], into: current == nil ? nil : basePath))
            } catch {
                throw Problem(origin: "\(store.address)/\(key)", reason: "cannot merge: \(error)")
            }
            if current != nil, merged.added == 0, merged.replaced == 0 {  // nothing new: base.json stays as it is
                return Outcome(catalog: merged.catalog, added: 0, retries: retries, rejects: merged.rejects)
            }
            let outcome = try writes.put(store, key, merged.catalog.encoded(), cacheControl: PublishedLayout.changingCacheControl,
                                         condition: current.map { .ifMatch($0.etag) } ?? .ifAbsent)
            if case .written = outcome {
                return Outcome(catalog: merged.catalog, added: merged.added, retries: retries, rejects: merged.rejects)
            }
            retries += 1
            log("\(store.address)/\(key) changed since it was read (another publisher): merging again (retry \(retries))")
            usleep(useconds_t.random(in: 20_000...(50_000 * useconds_t(min(attempt, 10)))))
        }
        throw Problem(origin: "\(store.address)/\(key)", reason: "changed by other writers \(attempts) times in a row; nothing of this run is lost (its .json is published), run again")
    }

    /// Takes `names` out of base.json (withdraw), written as a merge is: only if nobody wrote it
    /// meanwhile, else read again. Returns how many were in it.
    static func remove(_ names: Set<String>, store: ObjectStore, writes: StoreWrites, scratch: String,
                       log: (String) -> Void) throws(Problem) -> Int {
        for attempt in 1...attempts {
            guard let current = try store.get(key) else { return 0 }
            let path = scratch + "/shrink-\(attempt).json"
            try write(current.data, to: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var catalog: BaseCatalog
            do throws(MergeFailure) { catalog = try merge(MergeRequest(sources: [], into: path)).catalog } catch {
                throw Problem(origin: "\(store.address)/\(key)", reason: "cannot be read: \(error)")
            }
            let removed = names.filter { catalog.remove(filename: $0) }.count
            if removed == 0 { return 0 }
            let outcome = try writes.put(store, key, catalog.encoded(), cacheControl: PublishedLayout.changingCacheControl, condition: .ifMatch(current.etag))
            if case .written = outcome {
                log("\(store.address)/\(key): \(removed) withdrawn, \(catalog.count) left")
                return removed
            }
            log("\(store.address)/\(key) changed since it was read (another publisher): reading it again (retry \(attempt))")
            usleep(useconds_t.random(in: 20_000...(50_000 * useconds_t(min(attempt, 10)))))
        }
        throw Problem(origin: "\(store.address)/\(key)", reason: "changed by other writers \(attempts) times in a row; run again")
    }

    static func write(_ data: Data, to path: String) throws(Problem) {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw Problem(origin: path, reason: "cannot write in the scratch folder")
        }
    }
}

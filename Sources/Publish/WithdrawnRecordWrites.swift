import Catalog
import Infrastructure
import Foundation
import Storage

/// Publish's writes to the record: written as base.json is, only if unchanged since read, else
/// read again.
extension WithdrawnRecord {
    /// Adds `added` to the record (an entry already there keeps its first reason).
    static func add(_ added: [Entry], to store: ObjectStore, writes: StoreWrites, log: (String) -> Void) throws(Problem) {
        try change(store, writes: writes, log: log) { entries in
            let known = Set(entries.map(\.filename))
            return entries + added.filter { !known.contains($0.filename) }
        }
    }

    /// Takes `names` out of the record: prune's, once their objects (the `.json` among them) are gone.
    static func remove(_ names: Set<String>, from store: ObjectStore, writes: StoreWrites, log: (String) -> Void) throws(Problem) {
        try change(store, writes: writes, log: log) { entries in entries.filter { !names.contains($0.filename) } }
    }

    /// Reads, changes and writes the record only if nobody wrote it meanwhile, else again.
    private static func change(_ store: ObjectStore, writes: StoreWrites, log: (String) -> Void,
                               _ body: ([Entry]) -> [Entry]) throws(Problem) {
        for attempt in 1...BaseCatalogUpdate.attempts {
            let (entries, etag) = try read(store)
            let changed = body(entries)
            if changed == entries, etag != nil || changed.isEmpty { return }
            let outcome = try writes.put(store, key, document(changed), cacheControl: PublishedLayout.changingCacheControl,
                                         condition: etag.map { .ifMatch($0) } ?? .ifAbsent)
            if case .written = outcome { return }
            log("\(store.address)/\(key) changed since it was read: reading it again (retry \(attempt))")
        }
        throw Problem(origin: "\(store.address)/\(key)", reason: "changed by other writers \(BaseCatalogUpdate.attempts) times in a row; run again")
    }
}

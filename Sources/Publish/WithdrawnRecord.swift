import Catalog
import Foundation
import Storage

/// The artifacts withdrawn from a network, kept in its store at `shots/withdrawn.json` with the
/// reason and time: publish's merge never brings one back from a leftover `.json`, and the site
/// leaves them out even while a catalog still lists them. Written as base.json is: only if
/// unchanged since read, else read again.
enum WithdrawnRecord {
    static let key = "shots/withdrawn.json"

    struct Entry: Equatable {
        var filename: String
        var reason: String
        var withdrawnAt: String
    }

    static func read(_ store: ObjectStore) throws(Problem) -> (entries: [Entry], etag: String?) {
        guard let object = try store.get(key) else { return ([], nil) }
        let document: JSONValue
        do throws(JSONSyntaxError) { document = try JSONParser.parse(object.data) } catch {
            throw Problem(origin: "\(store.address)/\(key)", reason: "\(error)")
        }
        guard case .array(let list)? = document["withdrawn"] else {
            throw Problem(origin: "\(store.address)/\(key)", reason: "expected {\"withdrawn\": [...]} as shots withdraw writes it")
        }
        let entries = list.compactMap { item -> Entry? in
            guard case .string(let name)? = item["filename"] else { return nil }
            let reason = if case .string(let text)? = item["reason"] { text } else { "" }
            let time = if case .string(let text)? = item["withdrawn_at"] { text } else { "" }
            return Entry(filename: name, reason: reason, withdrawnAt: time)
        }
        return (entries, object.etag)
    }

    /// The filenames withdrawn from the store (none when it has no record).
    static func names(_ store: ObjectStore) throws(Problem) -> Set<String> {
        Set(try read(store).entries.map(\.filename))
    }

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
            let document = JSONValue.object(["withdrawn": .array(changed.map { entry in
                .object(["filename": .string(entry.filename), "reason": .string(entry.reason), "withdrawn_at": .string(entry.withdrawnAt)])
            })])
            let outcome = try writes.put(store, key, JSONWriter().data(document), cacheControl: "no-cache",
                                         condition: etag.map { .ifMatch($0) } ?? .ifAbsent)
            if case .written = outcome { return }
            log("\(store.address)/\(key) changed since it was read: reading it again (retry \(attempt))")
        }
        throw Problem(origin: "\(store.address)/\(key)", reason: "changed by other writers \(BaseCatalogUpdate.attempts) times in a row; run again")
    }
}

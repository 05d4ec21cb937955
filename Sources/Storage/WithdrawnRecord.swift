import Catalog
import Infrastructure
import Foundation

/// The artifacts withdrawn from a network, kept in its store at `shots/withdrawn.json` with the
/// reason and time: publish's merge never brings one back from a leftover `.json`, and the site
/// leaves them out even while a catalog still lists them. Written as base.json is: only if
/// unchanged since read, else read again.
public enum WithdrawnRecord {
    public static let key = PublishedLayout.withdrawnKey

    /// One withdrawn artifact: its name, why, and when (ISO 8601).
    public struct Entry: Equatable, Sendable {
        public var filename: String
        public var reason: String
        public var withdrawnAt: String

        public init(filename: String, reason: String, withdrawnAt: String) {
            (self.filename, self.reason, self.withdrawnAt) = (filename, reason, withdrawnAt)
        }
    }

    /// The record as stored, and its ETag for a conditional write (nil when there is none yet).
    public static func read(_ store: ObjectStore) throws(Problem) -> (entries: [Entry], etag: String?) {
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
    public static func names(_ store: ObjectStore) throws(Problem) -> Set<String> {
        Set(try read(store).entries.map(\.filename))
    }

    /// The record as it is stored.
    public static func document(_ entries: [Entry]) -> Data {
        JSONWriter().data(.object(["withdrawn": .array(entries.map { entry in
            .object(["filename": .string(entry.filename), "reason": .string(entry.reason), "withdrawn_at": .string(entry.withdrawnAt)])
        })]))
    }
}

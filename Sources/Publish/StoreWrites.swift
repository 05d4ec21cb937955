import Catalog
import Foundation
import Storage

/// Every write a publish makes goes through here: it is counted for the summary, and in a dry
/// run it is only recorded.
final class StoreWrites {
    let dryRun: Bool
    let acl: String?
    private(set) var written: [(store: String, key: String, bytes: Int64)] = []

    init(dryRun: Bool, acl: String?) {
        self.dryRun = dryRun
        self.acl = acl
    }

    func put(_ store: ObjectStore, _ key: String, _ data: Data, cacheControl: String? = nil, redirect: String? = nil,
             condition: PutCondition = .always) throws(Problem) -> PutOutcome {
        if dryRun {
            record(store, key, Int64(data.count))
            return .written(etag: "")
        }
        let headers = ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key), cacheControl: cacheControl, acl: acl, websiteRedirect: redirect)
        let outcome = try store.put(key, data, headers: headers, condition: condition)
        if case .written = outcome { record(store, key, Int64(data.count)) }
        return outcome
    }

    /// Counts a write made elsewhere (a streamed artifact).
    func record(_ store: ObjectStore, _ key: String, _ bytes: Int64) {
        written.append((store.address, key, bytes))
    }

    func headers(for key: String, cacheControl: String? = nil) -> ObjectHeaders {
        ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key), cacheControl: cacheControl, acl: acl)
    }
}

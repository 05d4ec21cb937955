import Catalog
import Infrastructure
import Foundation
import Storage

/// Every write a publish makes goes through here: it is counted for the summary, and in a dry
/// run it is only recorded. Each store's objects get that store's canned ACL: the artifacts'
/// host may need `public-read` (Spaces) where the website's bucket refuses ACLs (AWS's default).
final class StoreWrites {
    let dryRun: Bool
    private let networkACL: CannedACL?
    private let siteACL: CannedACL?
    private let siteStores: Set<ObjectIdentifier>
    private(set) var written: [(store: String, key: String, bytes: Int64)] = []
    private(set) var deleted: [(store: String, key: String)] = []

    init(dryRun: Bool, acl: CannedACL?, siteACL: CannedACL?, siteStores: [ObjectStore]) {
        self.dryRun = dryRun
        networkACL = acl
        self.siteACL = siteACL
        self.siteStores = Set(siteStores.map(ObjectIdentifier.init))
    }

    private func acl(_ store: ObjectStore) -> CannedACL? {
        siteStores.contains(ObjectIdentifier(store)) ? siteACL : networkACL
    }

    func put(_ store: ObjectStore, _ key: String, _ data: Data, cacheControl: String? = nil, redirect: String? = nil,
             condition: PutCondition = .always) throws(Problem) -> PutOutcome {
        if dryRun {
            record(store, key, Int64(data.count))
            return .written(etag: "")
        }
        let headers = ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key), cacheControl: cacheControl, acl: acl(store), websiteRedirect: redirect)
        let outcome = try store.put(key, data, headers: headers, condition: condition)
        if case .written = outcome { record(store, key, Int64(data.count)) }
        return outcome
    }

    func delete(_ store: ObjectStore, _ key: String) throws(Problem) {
        if !dryRun { try store.delete(key) }
        deleted.append((store.address, key))
    }

    /// Counts a write made elsewhere (a streamed artifact).
    func record(_ store: ObjectStore, _ key: String, _ bytes: Int64) {
        written.append((store.address, key, bytes))
    }

    func headers(for key: String, in store: ObjectStore) -> ObjectHeaders {
        ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key), acl: acl(store))
    }
}

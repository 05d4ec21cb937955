import Catalog
import Infrastructure
import Foundation

/// A bucket: objects named by key, written whole or streamed, read back, listed and deleted. A
/// folder on disk (`DirectoryStore`) and S3 (`S3Store`) behave the same way through it, so the
/// publisher, the preview server and the tests never ask which one they hold.
public protocol ObjectStore: AnyObject, Sendable {
    /// The store's URL as a user may see it: never with credentials.
    var address: String { get }

    /// Writes a whole object if `condition` holds; `.conditionFailed` when it does not.
    func put(_ key: String, _ data: Data, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> PutOutcome
    /// Starts a streamed write of unknown length; the object appears only on `finish`.
    func upload(_ key: String, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> ObjectUpload
    /// The object's bytes and ETag, or nil when there is no such object.
    func get(_ key: String) throws(Problem) -> StoredObject?
    /// The object's size, ETag and headers, or nil when there is no such object.
    func head(_ key: String) throws(Problem) -> ObjectInfo?
    /// Every object whose key starts with `prefix`, in key order.
    func list(prefix: String) throws(Problem) -> [ObjectInfo]
    /// Removes the object; removing one that is not there is not an error.
    func delete(_ key: String) throws(Problem)
    /// Where this store's keys start under its bucket's website root, `/` or `/prefix/`: a
    /// website-redirect location `/key` is resolved from the bucket's root, not the prefix.
    var websitePath: String { get }
    /// Where the keys live, as one string (host, bucket and prefix, or the real folder, ending in
    /// `/`): two stores overlap, and would overwrite each other's objects, when one's starts with
    /// the other's.
    var keySpace: String { get }
    /// Streamed uploads begun and never finished nor aborted (a killed run's), oldest first.
    func pendingUploads() throws(Problem) -> [PendingUpload]
    /// Ends a pending upload, leaving nothing of it.
    func abort(_ upload: PendingUpload) throws(Problem)
}

/// An upload a run left behind: S3's multipart upload, or a folder store's staging file.
public struct PendingUpload: Sendable, Equatable {
    public var key: String
    public var id: String
    public var started: Date
}

extension ObjectStore {
    public var websitePath: String { "/" }
}

/// What a host sends with an object, and how S3 website hosting treats it.
public struct ObjectHeaders: Sendable, Equatable {
    public var contentType: String?
    public var cacheControl: String?
    /// A canned ACL (`public-read`); nil leaves the bucket's default.
    public var acl: CannedACL?
    /// Makes the object a website redirect: S3 website hosting answers 301 with this `Location`.
    public var websiteRedirect: String?

    public init(contentType: String? = nil, cacheControl: String? = nil, acl: CannedACL? = nil, websiteRedirect: String? = nil) {
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.acl = acl
        self.websiteRedirect = websiteRedirect
    }
}

/// When a write may happen.
public enum PutCondition: Sendable, Equatable {
    case always
    /// Only if no object has the key (`If-None-Match: *`): a published artifact is never replaced.
    case ifAbsent
    /// Only if the object still has this ETag (`If-Match`): read, change, write without losing
    /// another writer's change.
    case ifMatch(String)
}

public enum PutOutcome: Sendable, Equatable {
    case written(etag: String)
    case conditionFailed
}

/// An object as listed or headed.
public struct ObjectInfo: Sendable, Equatable {
    public var key: String
    public var size: Int64
    /// The ETag without quotes: the MD5 of a whole object, `<md5 of the part MD5s>-<parts>` for multipart.
    public var etag: String
    public var headers: ObjectHeaders
    public var lastModified: Date?

    public init(key: String, size: Int64, etag: String, headers: ObjectHeaders = ObjectHeaders(), lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.headers = headers
        self.lastModified = lastModified
    }
}

public struct StoredObject: Sendable {
    public var data: Data
    public var etag: String
}

/// A streamed write. Bytes arrive in order; nothing is visible under the key until `finish`
/// succeeds, and `abort` leaves nothing behind (no partial file, no orphan multipart parts).
public protocol ObjectUpload: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem)
    func finish() throws(Problem) -> PutOutcome
    func abort()
    /// After `finish`: the ETag the bytes sent have (or would have had, when the condition failed),
    /// so a caller can tell an object already there with the same bytes from a different one.
    var sentETag: String? { get }
}

extension ObjectHeaders {
    /// The type a browser needs for each file the site and the publisher write.
    public static func contentType(forKey key: String) -> String {
        let name = key.split(separator: "/").last.map(String.init) ?? key
        let dot = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
        return switch dot {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "xml": "application/xml"
        case "txt", "sha256", "minisig", "pub": "text/plain; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        case "woff2": "font/woff2"
        case "lz4": "application/x-lz4"
        case "zst": "application/zstd"
        default: name == PublishedLayout.redirectRulesKey ? "text/plain; charset=utf-8" : "application/octet-stream"
        }
    }
}

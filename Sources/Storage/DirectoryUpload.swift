import Catalog
import Infrastructure
import Crypto
import Foundation

/// A streamed write into a `DirectoryStore`: bytes go to a file in `.shots-store/uploads/`,
/// hashed (MD5, the ETag) as they pass; `finish` flushes it, then, holding the store's lock,
/// checks the condition and renames it to its key. A killed upload leaves only its staging file.
final class DirectoryUpload: ObjectUpload {
    private let store: DirectoryStore
    private let key: String
    private let headers: ObjectHeaders
    private let condition: PutCondition
    private let staging: String
    private var file: Int32
    private var md5 = Insecure.MD5()
    private(set) var sentETag: String?

    init(store: DirectoryStore, key: String, headers: ObjectHeaders, condition: PutCondition) throws(Problem) {
        self.store = store
        self.key = key
        self.headers = headers
        self.condition = condition
        guard let uploads = try store.folder.folder(DirectoryStore.uploadsFolder, create: true) else {
            throw Problem(origin: store.folder.shown(DirectoryStore.uploadsFolder), reason: "cannot create the uploads folder")
        }
        let name = "\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        staging = DirectoryStore.uploadsFolder + "/" + name
        file = openat(uploads, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw Problem(origin: store.folder.shown(staging), reason: "cannot create: \(String(cString: strerror(errno)))") }
        InterruptCleanup.register(store.folder.shown(staging))
    }

    deinit { abort() }

    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        guard file >= 0 else { throw Problem(origin: store.folder.shown(key), reason: "the upload is already closed") }
        md5.update(bufferPointer: bytes)
        var written = 0
        while written < bytes.count {
            let count = Foundation.write(file, bytes.baseAddress! + written, bytes.count - written)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw Problem(origin: store.folder.shown(key), reason: "cannot write: \(String(cString: strerror(count < 0 ? errno : ENOSPC)))")
            }
            written += count
        }
    }

    func finish() throws(Problem) -> PutOutcome {
        guard file >= 0 else { throw Problem(origin: store.folder.shown(key), reason: "the upload is already closed") }
        defer { abort() }
        guard fsync(file) == 0 else { throw Problem(origin: store.folder.shown(key), reason: "cannot flush to disk: \(String(cString: strerror(errno)))") }
        close(file)
        file = -1
        let etag = Hex.string(md5.finalize())
        sentETag = etag
        return try store.withStoreLock { () throws(Problem) -> PutOutcome in
            let current = try store.head(key)
            switch condition {
            case .always: break
            case .ifAbsent: if current != nil { return .conditionFailed }
            case .ifMatch(let expected): if current?.etag != expected { return .conditionFailed }
            }
            guard let stamp = store.folder.stamp(staging) else {
                throw Problem(origin: store.folder.shown(staging), reason: "the staged upload disappeared")
            }
            var recorded = headers
            if recorded.contentType == nil { recorded.contentType = ObjectHeaders.contentType(forKey: key) }
            // The headers first: until the rename they describe a file that is not there yet, and
            // their stamp tells them apart from the object they replace.
            try store.folder.write(ObjectHeadersFile(etag: etag, stamp: stamp, headers: recorded).data,
                                   to: DirectoryStore.headersFolder + "/" + key + ".json")
            try store.folder.move(staging, to: key)
            return .written(etag: etag)
        }
    }

    func abort() {
        if file >= 0 { close(file); file = -1 }
        store.folder.remove(staging)
        InterruptCleanup.forget(store.folder.shown(staging))
    }
}

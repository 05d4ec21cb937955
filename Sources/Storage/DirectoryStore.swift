import Catalog
import Infrastructure
import Crypto
import Foundation

/// A folder laid out exactly as the bucket would be: each object a file at its key. What S3 keeps
/// with an object (ETag, content type, cache control, ACL, website redirect) is kept in
/// `.shots-store/headers/<key>.json`, which the preview server reads; streamed uploads are staged
/// in `.shots-store/uploads/`. Conditional writes check and rename under an exclusive `flock` on
/// `.shots-store/lock`, so two processes on one machine race as two S3 clients would, and lose
/// nothing. Every path is walked with `OutputFolder` rules: no link leads a write outside.
public final class DirectoryStore: ObjectStore, @unchecked Sendable {
    public let address: String
    let folder: OutputFolder

    static let reserved = ".shots-store"
    static let headersFolder = reserved + "/headers"
    static let uploadsFolder = reserved + "/uploads"

    public var keySpace: String { URL(fileURLWithPath: folder.path).standardizedFileURL.resolvingSymlinksInPath().path + "/" }

    /// Opens (creating) the folder at `path`.
    public init(path: String) throws(Problem) {
        folder = try OutputFolder(path: path)
        address = path
    }

    public func put(_ key: String, _ data: Data, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> PutOutcome {
        let upload = try upload(key, headers: headers, condition: condition)
        do throws(Problem) {
            try Self.write(data, to: upload)
            return try upload.finish()
        } catch {
            upload.abort()
            throw error
        }
    }

    public func upload(_ key: String, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> ObjectUpload {
        try checkKey(key)
        return try DirectoryUpload(store: self, key: key, headers: headers, condition: condition)
    }

    public func get(_ key: String) throws(Problem) -> StoredObject? {
        try checkKey(key)
        guard let bytes = folder.read(key), let info = try head(key) else { return nil }
        return StoredObject(data: Data(bytes), etag: info.etag)
    }

    public func head(_ key: String) throws(Problem) -> ObjectInfo? {
        try checkKey(key)
        guard let stamp = folder.stamp(key) else { return nil }
        if let bytes = folder.read(Self.headersFolder + "/" + key + ".json"), let recorded = ObjectHeadersFile(bytes), recorded.stamp == stamp {
            return ObjectInfo(key: key, size: stamp.size, etag: recorded.etag, headers: recorded.headers, lastModified: Self.date(stamp))
        }
        guard let etag = try fileMD5(key) else { return nil }
        return ObjectInfo(key: key, size: stamp.size, etag: etag,
                          headers: ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key)), lastModified: Self.date(stamp))
    }

    public func list(prefix: String) throws(Problem) -> [ObjectInfo] {
        var keys: [String] = []
        func walk(_ relative: String) {
            for name in folder.names(in: relative) {
                let key = relative.isEmpty ? name : relative + "/" + name
                if relative.isEmpty, name == Self.reserved { continue }
                guard key.hasPrefix(prefix) || prefix.hasPrefix(key + "/") else { continue }
                if folder.isFolder(key) { walk(key) } else if folder.isFile(key), key.hasPrefix(prefix) { keys.append(key) }
            }
        }
        walk("")
        var found: [ObjectInfo] = []
        for key in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let info = try head(key) { found.append(info) }
        }
        return found
    }

    public func delete(_ key: String) throws(Problem) {
        try checkKey(key)
        try withStoreLock { () throws(Problem) in
            folder.remove(key)
            folder.remove(Self.headersFolder + "/" + key + ".json")
        }
        // Empty folders are not objects: take them away as a bucket has none.
        var parent = PathText.parent(key)
        while !parent.isEmpty, folder.removeFolderIfEmpty(parent) { parent = PathText.parent(parent) }
    }

    /// The object's file opened for reading (the caller closes it), walked from the store's folder
    /// without following a link; nil when there is no such object. What the preview server serves.
    public func openObject(_ key: String) throws(Problem) -> Int32? {
        try checkKey(key)
        guard let parent = try folder.folder(PathText.parent(key), create: false) else { return nil }
        let file = openat(parent, PathText.name(key), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard file >= 0 else { return nil }
        var status = stat()
        guard fstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(file)
            return nil
        }
        return file
    }

    /// Whether `key` names a folder of objects (S3 website hosting redirects it to `key/`).
    public func isFolder(_ key: String) -> Bool {
        (try? checkKey(key)) != nil && folder.isFolder(key)
    }

    /// The staging files of uploads in `.shots-store/uploads/` (their key is not known: a staging
    /// file is named by its process). A live upload's file is recent, so callers go by its age.
    public func pendingUploads() throws(Problem) -> [PendingUpload] {
        folder.names(in: Self.uploadsFolder).compactMap { name -> PendingUpload? in
            guard let stamp = folder.stamp(Self.uploadsFolder + "/" + name) else { return nil }
            return PendingUpload(key: Self.uploadsFolder + "/" + name, id: name, started: Self.date(stamp))
        }.sorted { $0.started < $1.started }
    }

    public func abort(_ upload: PendingUpload) throws(Problem) {
        guard OutputFolder.isSafe(upload.id), !upload.id.contains("/") else {
            throw Problem(origin: folder.shown(Self.uploadsFolder), reason: "not a staging file: \(Problem.quoted(upload.id))")
        }
        _ = folder.remove(Self.uploadsFolder + "/" + upload.id)
    }

    /// Runs `body` holding the store's lock: a conditional write checks and renames inside it.
    func withStoreLock<T>(_ body: () throws(Problem) -> T) throws(Problem) -> T {
        guard let reserved = try folder.folder(Self.reserved, create: true) else {
            throw Problem(origin: folder.shown(Self.reserved), reason: "cannot create the store's own folder")
        }
        let lock = openat(reserved, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw Problem(origin: folder.shown(Self.reserved + "/lock"), reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Problem(origin: folder.shown(Self.reserved + "/lock"), reason: "cannot lock: \(String(cString: strerror(errno)))") }
        }
        return try body()
    }

    /// A key is a path inside the folder that is not the store's own.
    func checkKey(_ key: String) throws(Problem) {
        guard OutputFolder.isSafe(key), !key.hasPrefix(Self.reserved + "/"), key != Self.reserved else {
            throw Problem(origin: folder.shown(key), reason: "not an object key this store can hold (empty, '..', '//', a control character, or its own .shots-store)")
        }
    }

    private func fileMD5(_ key: String) throws(Problem) -> String? {
        guard let parent = try folder.folder(PathText.parent(key), create: false) else { return nil }
        let file = openat(parent, PathText.name(key), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var md5 = Insecure.MD5()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(file, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Problem(origin: folder.shown(key), reason: "cannot read: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return Hex.string(md5.finalize())
    }

    /// `Data.withUnsafeBytes` cannot rethrow a typed error.
    static func write(_ data: Data, to upload: ObjectUpload) throws(Problem) {
        let failure: Problem? = data.withUnsafeBytes { bytes in
            do throws(Problem) { try upload.write(bytes); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    private static func date(_ stamp: FileStamp) -> Date { Date(timeIntervalSince1970: Double(stamp.modified) / 1e9) }
}

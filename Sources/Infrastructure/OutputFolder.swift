import Foundation

/// A folder shots writes into, and the one way it does: every path below it is walked a component
/// at a time from the folder's own descriptor (`openat` with `O_NOFOLLOW`), so no symbolic link,
/// planted in the folder or left there by an earlier tool, can take a write, a removal or a read
/// outside it. A link where a folder is expected is refused with its path named; a link as the
/// last component is replaced or removed as the link itself, never followed.
///
/// The folder itself may be reached through links: the operator chose that path.
public final class OutputFolder: @unchecked Sendable {
    /// The folder as the caller named it (messages show paths under it).
    public let path: String
    private let descriptor: Int32
    private var folders: [String: Int32] = [:]  // relative folder → open descriptor, for the run
    /// Folders this run created, in the order it did, so a failed run can take them away again.
    public private(set) var createdFolders: [String] = []
    private let lock = NSLock()

    /// Whether this run created the folder (so a failed run may take it away again, if empty).
    public let created: Bool

    /// Opens `path`, creating it (and its parents) when it does not exist.
    public init(path: String) throws(Problem) {
        Self.raiseDescriptorLimit
        self.path = path
        var status = stat()
        created = stat(path, &status) != 0
        if (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) == nil {
            throw Problem(origin: path, reason: "cannot create the output folder")
        }
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(origin: path, reason: "cannot open the output folder: \(Self.lastError)") }
    }

    /// Every folder written into keeps its descriptor open for the run (a site of many networks has
    /// hundreds): the soft limit (often 1024) is raised to the hard one, once.
    private static let raiseDescriptorLimit: Void = {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }()

    /// Takes the folder for this process alone (until it exits): a second writer is refused with
    /// `who` named, instead of interleaving its files with this one's.
    public func lockExclusively(who: String) throws(Problem) {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw Problem(origin: path, reason: errno == EWOULDBLOCK ? "\(who) is writing this folder now; try again when it is done"
                                                                     : "cannot lock the folder: \(Self.lastError)")
        }
    }

    deinit {
        for folder in folders.values { close(folder) }
        close(descriptor)
    }

    /// The descriptor of the folder at `relative` ("" is the root), walked without following links;
    /// nil when it does not exist and `create` is false.
    public func folder(_ relative: String, create: Bool) throws(Problem) -> Int32? {
        if relative.isEmpty { return descriptor }
        try Self.checkRelative(relative, in: path)
        if let open = lock.withLock({ folders[relative] }) { return open }
        let parentPath = PathText.parent(relative)
        guard let parent = try folder(parentPath, create: create) else { return nil }
        let name = PathText.name(relative)
        var child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if child < 0, errno == ENOENT, create {
            if mkdirat(parent, name, 0o755) != 0, errno != EEXIST {
                throw Problem(origin: shown(relative), reason: "cannot create the folder: \(Self.lastError)")
            }
            lock.withLock { createdFolders.append(relative) }
            child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        if child < 0 {
            if errno == ENOENT { return nil }
            guard errno == ELOOP || errno == ENOTDIR else {
                throw Problem(origin: shown(relative), reason: "cannot open the folder: \(Self.lastError)")
            }
            throw Problem(origin: shown(relative), reason: "is a symbolic link or a file where a folder belongs; shots writes only into real folders inside its output (remove it)")
        }
        return lock.withLock {
            if let raced = folders[relative] { close(child); return raced }
            folders[relative] = child
            return child
        }
    }

    /// Writes `data` as the file `relative` (folders created), replaced whole: readers see the old
    /// file or the new one. `durable` also flushes the file and its folder to disk.
    public func write(_ data: Data, to relative: String, durable: Bool = true) throws(Problem) {
        let (parent, name) = try parentAndName(relative, create: true)
        let temporary = try temporaryFile(in: parent, for: relative)
        InterruptCleanup.register((path as NSString).appendingPathComponent(temporary.path))
        defer { InterruptCleanup.forget((path as NSString).appendingPathComponent(temporary.path)) }
        do throws(Problem) {
            defer { close(temporary.descriptor) }  // once, whatever fails
            try Self.writeAll(data, to: temporary.descriptor, origin: shown(relative))
            if durable, fsync(temporary.descriptor) != 0 {
                throw Problem(origin: shown(relative), reason: "cannot flush to disk: \(Self.lastError)")
            }
        } catch {
            unlinkat(parent, temporary.name, 0)
            throw error
        }
        guard renameat(parent, temporary.name, parent, name) == 0 else {
            let reason = "cannot move into place: \(Self.lastError)"
            unlinkat(parent, temporary.name, 0)
            throw Problem(origin: shown(relative), reason: reason)
        }
        if durable { fsync(parent) }
    }

    /// Creates the file `relative` with `data` (folders created); fails if anything is there.
    public func create(_ data: Data, at relative: String) throws(Problem) {
        let (parent, name) = try parentAndName(relative, create: true)
        let file = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw Problem(origin: shown(relative), reason: "cannot create the file: \(Self.lastError)") }
        defer { close(file) }
        do throws(Problem) { try Self.writeAll(data, to: file, origin: shown(relative)) } catch {
            unlinkat(parent, name, 0)
            throw error
        }
    }

    /// Moves the file `from` to `to` (both relative; `to`'s folders created), replacing what was
    /// at `to` in one step.
    public func move(_ from: String, to: String) throws(Problem) {
        let (sourceFolder, sourceName) = try parentAndName(from, create: false)
        let (targetFolder, targetName) = try parentAndName(to, create: true)
        guard renameat(sourceFolder, sourceName, targetFolder, targetName) == 0 else {
            throw Problem(origin: shown(to), reason: "cannot move into place: \(Self.lastError)")
        }
    }

    /// Removes the file (or link) `relative`; a folder is never removed this way. False when
    /// nothing was removed: it was not there, it is a folder, or a link stands on its way.
    @discardableResult
    public func remove(_ relative: String) -> Bool {
        guard let (parent, name) = try? parentAndName(relative, create: false) else { return false }
        return unlinkat(parent, name, 0) == 0
    }

    /// Removes the folder `relative` if it is empty (never what is inside one).
    @discardableResult
    public func removeFolderIfEmpty(_ relative: String) -> Bool {
        guard !relative.isEmpty, let (parent, name) = try? parentAndName(relative, create: false) else { return false }
        guard unlinkat(parent, name, AT_REMOVEDIR) == 0 else { return false }
        lock.withLock { if let open = folders.removeValue(forKey: relative) { close(open) } }
        return true
    }

    /// Removes what this run created and left empty (after a failure): its folders, deepest first,
    /// and the folder itself.
    public func removeCreatedFolders() {
        for relative in lock.withLock({ createdFolders }).reversed() { removeFolderIfEmpty(relative) }
        if created { rmdir(path) }
    }

    /// The size and modification time of the regular file `relative`; nil for anything else, and
    /// for a file with other names (a hard link may lead outside the folder).
    public func stamp(_ relative: String) -> FileStamp? {
        guard let status = status(of: relative), (status.st_mode & S_IFMT) == S_IFREG, status.st_nlink == 1 else { return nil }
        return FileStamp(size: Int64(status.st_size), modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    /// Removes the temporaries a killed writer of `relative` left (`.<name>.partial-*`, from
    /// `write`); only for a caller that holds the lock every writer of `relative` takes.
    public func removeLeftoverTemporaries(of relative: String) {
        let prefix = "." + PathText.name(relative) + ".partial-"
        let parent = PathText.parent(relative)
        for name in names(in: parent) where name.hasPrefix(prefix) {
            remove(parent.isEmpty ? name : parent + "/" + name)
        }
    }

    /// Whether `relative` is a folder (a link to one is not).
    public func isFolder(_ relative: String) -> Bool { status(of: relative).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false }

    /// Whether `relative` is a regular file (a link is not).
    public func isFile(_ relative: String) -> Bool { status(of: relative).map { ($0.st_mode & S_IFMT) == S_IFREG } ?? false }

    /// `relative`'s own status (a link's, not its target's); nil when it is missing or a link is on the way.
    private func status(of relative: String) -> stat? {
        guard let (parent, name) = try? parentAndName(relative, create: false) else { return nil }
        var status = stat()
        return fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }

    /// The bytes of the regular file `relative`, or nil when there is none (or a link is on the way).
    public func read(_ relative: String) -> [UInt8]? {
        guard let (parent, name) = try? parentAndName(relative, create: false) else { return nil }
        let file = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var status = stat()
        guard fstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(status.st_size)
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = Foundation.read(file, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                initialized += count
            }
            complete = true
        }
        return complete ? bytes : nil
    }

    /// The names in the folder `relative` (none when it is missing or a link).
    public func names(in relative: String) -> [String] {
        guard let folder = try? folder(relative, create: false) else { return [] }
        let listing = openat(folder, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0, let stream = fdopendir(listing) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The path a message shows for `relative`.
    public func shown(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// A relative path that cannot leave the folder: no empty, `.` or `..` segments, no backslash,
    /// not absolute; and no control characters, which would split a line of a manifest or a log.
    public static func isSafe(_ relative: String) -> Bool {
        !relative.isEmpty && !relative.hasPrefix("/") && !relative.contains("\\") && !relative.utf8.contains { $0 < 0x20 || $0 == 0x7F }
            && relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    private static func checkRelative(_ relative: String, in root: String) throws(Problem) {
        guard isSafe(relative) else {
            throw Problem(origin: (root as NSString).appendingPathComponent(relative),
                          reason: "not a path inside the output folder (a name with '..', '//', '\\\\' or a control character?)")
        }
    }

    private func parentAndName(_ relative: String, create: Bool) throws(Problem) -> (Int32, String) {
        try Self.checkRelative(relative, in: path)
        guard let parent = try folder(PathText.parent(relative), create: create) else {
            throw Problem(origin: shown(relative), reason: "its folder does not exist")
        }
        return (parent, PathText.name(relative))
    }

    private func temporaryFile(in folder: Int32, for relative: String) throws(Problem) -> (descriptor: Int32, name: String, path: String) {
        let name = PathText.name(relative)
        for _ in 0..<16 {
            let temporary = ".\(name.prefix(200)).partial-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            let file = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if file >= 0 { return (file, temporary, (PathText.parent(relative) as NSString).appendingPathComponent(temporary)) }
            guard errno == EEXIST else { throw Problem(origin: shown(relative), reason: "cannot create a file in its folder: \(Self.lastError)") }
        }
        throw Problem(origin: shown(relative), reason: "cannot create a temporary file in its folder")
    }

    static func writeAll(_ data: Data, to file: Int32, origin: String) throws(Problem) {
        let failure: Int32? = data.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let count = Foundation.write(file, bytes.baseAddress! + written, bytes.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return count < 0 ? errno : ENOSPC }
                written += count
            }
            return nil
        }
        if let failure { throw Problem(origin: origin, reason: "cannot write: \(String(cString: strerror(failure)))") }
    }

    static var lastError: String { String(cString: strerror(errno)) }
}

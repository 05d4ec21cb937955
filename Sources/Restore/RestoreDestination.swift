import Infrastructure
import Foundation

/// The folder a restore fills (DEST, often a volume's mount point: it is never renamed or removed
/// itself) and the staging folder inside it, on the same filesystem, where the new contents are
/// extracted. Only when everything verified do DEST's entries give way to the staged ones, each a
/// rename; until then DEST holds what it held before.
public struct RestoreDestination: Sendable {
    /// DEST, symbolic links resolved.
    public let path: String
    /// `.shots-restore-<pid>` inside DEST: `tree/` is what will replace DEST's entries, `kept/`
    /// holds what `--keep` names while DEST is emptied early (`--free-first`).
    public let staging: String
    public var tree: String { staging + "/tree" }
    var keptHolding: String { staging + "/kept" }

    static let stagingPrefix = ".shots-restore-"

    /// Creates DEST if it is missing (its parent must exist), and a fresh staging folder in it.
    /// Staging folders left by runs that were killed are removed first.
    public static func prepare(_ given: String) throws(Problem) -> RestoreDestination {
        var status = stat()
        if lstat(given, &status) != 0 {
            guard mkdir(given, 0o755) == 0 else { throw Problem(origin: given, reason: "cannot create the destination: \(String(cString: strerror(errno)))") }
        } else if status.st_mode & S_IFMT != S_IFDIR, stat(given, &status) != 0 || status.st_mode & S_IFMT != S_IFDIR {
            throw Problem(origin: given, reason: "the destination is not a folder")
        }
        guard let resolved = realpath(given, nil) else { throw Problem(origin: given, reason: "cannot resolve the destination: \(String(cString: strerror(errno)))") }
        let path = String(cString: resolved)
        free(resolved)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix(stagingPrefix) {
            if let pid = Int32(name.dropFirst(stagingPrefix.count)), kill(pid, 0) == 0, pid != getpid() { continue }  // another live restore
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
        let destination = RestoreDestination(path: path, staging: path + "/" + stagingPrefix + String(getpid()))
        InterruptCleanup.register(destination.staging)
        for folder in [destination.staging, destination.tree] where mkdir(folder, 0o700) != 0 {
            throw Problem(origin: folder, reason: "cannot create the staging folder: \(String(cString: strerror(errno)))")
        }
        return destination
    }

    /// DEST's own entries (not this run's staging folder).
    public func currentEntries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(Self.stagingPrefix) }.sorted()
    }

    /// Bytes DEST's current entries take on disk (what `--free-first` would give back).
    public func currentUsage() -> Int64 {
        currentEntries().reduce(0) { $0 + DiskUsage.bytes(of: path + "/" + $1) }
    }

    /// `--free-first`: moves the kept paths aside into the staging folder, then removes every
    /// other entry of DEST. After a failure `restoreKept()` puts the kept paths back.
    public func freeFirst(keeping kept: [String]) throws(Problem) {
        for relative in kept where exists(path + "/" + relative) {
            try move(path + "/" + relative, to: keptHolding + "/" + relative)
        }
        for name in currentEntries() {
            do { try FileManager.default.removeItem(atPath: path + "/" + name) } catch {
                throw Problem(origin: path + "/" + name, reason: "cannot remove it to free space: \((error as NSError).localizedDescription)")
            }
        }
    }

    /// Puts the kept paths moved aside by `freeFirst` back where they were.
    public func restoreKept(_ kept: [String]) {
        for relative in kept where exists(keptHolding + "/" + relative) {
            try? move(keptHolding + "/" + relative, to: path + "/" + relative)
        }
    }

    /// Replaces DEST's entries with the staged tree. The kept paths come from DEST's current
    /// contents (or from where `freeFirst` put them) over the snapshot's. Each step is a rename
    /// within DEST; if one fails, the ones done are undone and DEST is as it was.
    public func swapIn(keeping kept: [String]) throws(Problem) {
        for relative in kept {
            let source = exists(keptHolding + "/" + relative) ? keptHolding + "/" + relative : path + "/" + relative
            guard exists(source) else { continue }
            try? FileManager.default.removeItem(atPath: tree + "/" + relative)
            try copy(source, to: tree + "/" + relative)
        }
        let old = staging + "/old"
        guard mkdir(old, 0o700) == 0 else { throw Problem(origin: old, reason: "cannot create: \(String(cString: strerror(errno)))") }
        var done: [(from: String, to: String)] = []
        do throws(Problem) {
            for name in currentEntries() {
                try move(path + "/" + name, to: old + "/" + name)
                done.append((path + "/" + name, old + "/" + name))
            }
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: tree)) ?? []).sorted() {
                try move(tree + "/" + name, to: path + "/" + name)
                done.append((tree + "/" + name, path + "/" + name))
            }
        } catch {
            for step in done.reversed() { _ = rename(step.to, step.from) }
            throw error
        }
    }

    /// Removes the staging folder (after a swap, it holds DEST's previous entries).
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
        InterruptCleanup.forget(staging)
    }

    private func exists(_ file: String) -> Bool {
        var status = stat()
        return lstat(file, &status) == 0
    }

    private func move(_ from: String, to destination: String) throws(Problem) {
        let parent = (destination as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        guard rename(from, destination) == 0 else {
            throw Problem(origin: from, reason: "cannot move it to \(destination): \(String(cString: strerror(errno)))")
        }
    }

    private func copy(_ from: String, to destination: String) throws(Problem) {
        let parent = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: from, toPath: destination)
        } catch {
            throw Problem(origin: from, reason: "cannot keep it across the restore: \((error as NSError).localizedDescription)")
        }
    }
}

/// Bytes a file or tree takes on disk (allocated blocks), symbolic links not followed.
enum DiskUsage {
    static func bytes(of path: String) -> Int64 {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        var total = Int64(status.st_blocks) * 512
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { total += bytes(of: path + "/" + name) }
        }
        return total
    }
}

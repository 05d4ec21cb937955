import Infrastructure
import Foundation

/// The folder a restore fills (DEST, often a volume's mount point: it is never renamed or removed
/// itself) and the staging folder inside it, on the same filesystem, where the new contents are
/// extracted. Only when everything verified do DEST's entries give way to the staged ones, each a
/// rename; until then DEST holds what it held before.
///
/// Kept paths (relative to DEST) survive as they are: a top-level one (`lost+found`, `keystore`)
/// is never moved at all; a deeper one (`node/data/identity.json`) is copied over the snapshot's.
public final class RestoreDestination: @unchecked Sendable {
    /// DEST, symbolic links resolved.
    public let path: String
    /// `.shots-restore-<pid>` inside DEST: `tree/` is what will replace DEST's entries, `kept/`
    /// holds the deeper kept paths while DEST is emptied early (`--free-first`), `old/` DEST's
    /// previous entries during the swap.
    public let staging: String
    public let kept: [String]
    public var tree: String { staging + "/tree" }
    private var keptHolding: String { staging + "/kept" }
    private var old: String { staging + "/old" }
    private var topLevelKept: Set<String> { Set(kept.filter { !$0.contains("/") }) }
    private var nestedKept: [String] { kept.filter { $0.contains("/") } }
    /// Set when a failed swap could not be undone: the staging folder then holds DEST's previous
    /// entries and must stay.
    private var unfinished = false

    static let stagingPrefix = ".shots-restore-"

    private init(path: String, staging: String, kept: [String]) {
        self.path = path
        self.staging = staging
        self.kept = kept
    }

    /// Creates DEST if it is missing (its parent must exist), and a fresh staging folder in it.
    /// What runs that were killed left is dealt with first: kept paths they had moved aside go
    /// back; a swap they left half done stops this run, naming where DEST's previous entries are.
    public static func prepare(_ given: String, kept: [String]) throws(Problem) -> RestoreDestination {
        var status = stat()
        if lstat(given, &status) != 0 {
            guard mkdir(given, 0o755) == 0 else { throw Problem(origin: given, reason: "cannot create the destination: \(String(cString: strerror(errno)))") }
        } else if stat(given, &status) != 0 || status.st_mode & S_IFMT != S_IFDIR {
            throw Problem(origin: given, reason: "the destination is not a folder")
        }
        guard let resolved = realpath(given, nil) else { throw Problem(origin: given, reason: "cannot resolve the destination: \(String(cString: strerror(errno)))") }
        let path = String(cString: resolved)
        free(resolved)
        for name in entries(of: path) where name.hasPrefix(stagingPrefix) {
            if let pid = Int32(name.dropFirst(stagingPrefix.count)), pid != getpid(), kill(pid, 0) == 0 { continue }  // another live restore
            let left = path + "/" + name
            guard entries(of: left + "/old").isEmpty else {
                throw Problem(origin: left, reason: "a restore was stopped while swapping: DEST's previous entries are in its old/ folder; move back what you need, then remove it")
            }
            mergeBack(from: left + "/kept", into: path)
            try? FileManager.default.removeItem(atPath: left)
        }
        let destination = RestoreDestination(path: path, staging: path + "/" + stagingPrefix + String(getpid()), kept: kept)
        InterruptCleanup.register(destination.staging)
        for folder in [destination.staging, destination.tree] where mkdir(folder, 0o700) != 0 {
            throw Problem(origin: folder, reason: "cannot create the staging folder: \(String(cString: strerror(errno)))")
        }
        return destination
    }

    /// DEST's own entries that the swap replaces (not staging folders, not top-level kept ones).
    public func replacedEntries() -> [String] {
        Self.entries(of: path).filter { !$0.hasPrefix(Self.stagingPrefix) && !topLevelKept.contains($0) }
    }

    /// Bytes those entries take on disk (what `--free-first` would give back).
    public func replacedUsage() -> Int64 {
        replacedEntries().reduce(0) { $0 + DiskUsage.bytes(of: path + "/" + $1) }
    }

    /// `--free-first`: moves the deeper kept paths aside into the staging folder, then removes
    /// every replaced entry. After a failure `restoreKept()` puts the kept paths back.
    public func freeFirst() throws(Problem) {
        for relative in nestedKept where Self.exists(path + "/" + relative) {
            try Self.move(path + "/" + relative, to: keptHolding + "/" + relative)
        }
        for name in replacedEntries() {
            do { try FileManager.default.removeItem(atPath: path + "/" + name) } catch {
                throw Problem(origin: path + "/" + name, reason: "cannot remove it to free space: \((error as NSError).localizedDescription)")
            }
        }
    }

    /// Puts the kept paths moved aside by `freeFirst` back where they were.
    public func restoreKept() { Self.mergeBack(from: keptHolding, into: path) }

    /// Replaces DEST's entries with the staged tree, the kept paths as they are in DEST. Each step
    /// is a rename within DEST; if one fails, those done are undone and DEST is as it was (if even
    /// that fails, the error says where DEST's previous entries are, and they are left there).
    public func swapIn() throws(Problem) {
        for relative in nestedKept {
            let source = Self.exists(keptHolding + "/" + relative) ? keptHolding + "/" + relative : path + "/" + relative
            guard Self.exists(source) else { continue }
            try checkNoLink(above: relative)
            try? FileManager.default.removeItem(atPath: tree + "/" + relative)
            try Self.copy(source, to: tree + "/" + relative)
        }
        // From here an interrupt must not remove the staging folder: it holds DEST's entries.
        InterruptCleanup.forget(staging)
        guard mkdir(old, 0o700) == 0 else { throw Problem(origin: old, reason: "cannot create: \(String(cString: strerror(errno)))") }
        var done: [(from: String, to: String)] = []
        do throws(Problem) {
            for name in replacedEntries() {
                try Self.move(path + "/" + name, to: old + "/" + name)
                done.append((path + "/" + name, old + "/" + name))
            }
            for name in Self.entries(of: tree) where !topLevelKept.contains(name) {
                try Self.move(tree + "/" + name, to: path + "/" + name)
                done.append((tree + "/" + name, path + "/" + name))
            }
        } catch {
            let stuck = done.reversed().filter { rename($0.to, $0.from) != 0 }
            guard stuck.isEmpty else {
                unfinished = true
                throw Problem(origin: path, reason: "\(error.reason); undoing the swap failed for \(stuck.count) entries: DEST's previous entries are in \(old)")
            }
            throw error
        }
    }

    /// Removes the staging folder (after a swap, it holds DEST's previous entries), unless a swap
    /// could not be undone.
    public func discard() {
        InterruptCleanup.forget(staging)
        guard !unfinished else { return }
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// A kept path goes into the staged tree only where no link of the snapshot's stands in its way.
    private func checkNoLink(above relative: String) throws(Problem) {
        var walked = tree
        for component in relative.split(separator: "/").dropLast() {
            walked += "/" + component
            var status = stat()
            if lstat(walked, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw Problem(origin: relative, reason: "cannot be kept: the snapshot has a symbolic link at \(walked.dropFirst(tree.count + 1))")
            }
        }
    }

    static func entries(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static func exists(_ file: String) -> Bool {
        var status = stat()
        return lstat(file, &status) == 0
    }

    /// Moves what `source` holds into `destination` where nothing stands there yet, folder by folder.
    private static func mergeBack(from source: String, into destination: String) {
        for name in entries(of: source) {
            let from = source + "/" + name, to = destination + "/" + name
            if !exists(to) {
                _ = rename(from, to)
            } else {
                var status = stat()
                if lstat(to, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { mergeBack(from: from, into: to) }
            }
        }
    }

    private static func move(_ from: String, to destination: String) throws(Problem) {
        try? FileManager.default.createDirectory(atPath: PathText.parent(destination), withIntermediateDirectories: true)
        guard rename(from, destination) == 0 else {
            throw Problem(origin: from, reason: "cannot move it to \(destination): \(String(cString: strerror(errno)))")
        }
    }

    private static func copy(_ from: String, to destination: String) throws(Problem) {
        do {
            try FileManager.default.createDirectory(atPath: PathText.parent(destination), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: from, toPath: destination)
        } catch {
            throw Problem(origin: from, reason: "cannot keep it across the restore: \((error as NSError).localizedDescription)")
        }
    }
}

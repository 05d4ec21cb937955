import Catalog
import Foundation

/// The output folder of a build. Files whose content has not changed since the last build are not
/// rewritten (a manifest of content hashes remembers them), and files the last build wrote that
/// this one does not are removed, so `_site/` is always exactly one build's output.
///
/// Every path is checked: it must stay inside the folder (a permalink of `/../x` or a manifest
/// line cannot touch anything else), and no two outputs of one build may claim the same path (a
/// network named like a page cannot replace it). Steps that run alongside each other write
/// through one output: its bookkeeping is locked, the files themselves are written in parallel.
final class SiteOutput: @unchecked Sendable {
    static let manifestName = ".shots-manifest"

    let root: String
    private(set) var written = 0
    private(set) var unchanged = 0
    private(set) var removed = 0
    private var produced: [String: UInt64] = [:]
    private let previous: [String: UInt64]
    private let lock = NSLock()

    init(root: String) {
        self.root = root
        let manifest = (try? String(contentsOfFile: (root as NSString).appendingPathComponent(Self.manifestName), encoding: .utf8)) ?? ""
        var previous: [String: UInt64] = [:]
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let hash = UInt64(parts[0], radix: 16), Self.isSafe(String(parts[1])) { previous[String(parts[1])] = hash }
        }
        self.previous = previous
    }

    /// Whether every file the previous build wrote is still there, as it recorded: only then can
    /// a build leave some of them alone.
    var isIntact: Bool {
        !previous.isEmpty && previous.keys.allSatisfy { FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent($0)) }
    }

    /// Marks a file of the previous build as part of this one, unchanged and unread.
    func keep(_ relative: String) {
        lock.withLock {
            guard let hash = previous[relative], produced[relative] == nil else { return }
            produced[relative] = hash
            unchanged += 1
        }
    }

    /// Writes `data` at `relative` (a path under the root, folders created) unless it is unchanged.
    func write(_ relative: String, _ data: Data) throws(Problem) {
        let path = (root as NSString).appendingPathComponent(relative)
        guard Self.isSafe(relative) else {
            throw Problem(origin: relative, reason: "not a path inside the output folder (a permalink or name with '..', '//' or '\\\\'?)")
        }
        let hash = Self.fnv1a(data)
        let claimed = lock.withLock { () -> Bool in
            guard produced[relative] == nil else { return false }
            produced[relative] = hash
            return true
        }
        guard claimed else {
            throw Problem(origin: path, reason: "two outputs of this build claim this path (a network or page named like another page?)")
        }
        if previous[relative] == hash, FileManager.default.fileExists(atPath: path) {
            lock.withLock { unchanged += 1 }
            return
        }
        // Replaced whole (a server reading the folder never sees half a page), but not flushed to
        // disk one by one: the manifest, written last, is what makes a build count.
        try AtomicFile.write(data, to: path, durable: false)
        lock.withLock { written += 1 }
    }

    /// Removes what the previous build wrote and this one did not (and folders left empty by
    /// that), then records this build.
    func finish() throws(Problem) {
        for relative in previous.keys.sorted() where produced[relative] == nil {
            let path = (root as NSString).appendingPathComponent(relative)
            guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            removed += 1
            var folder = (relative as NSString).deletingLastPathComponent
            while !folder.isEmpty, (try? FileManager.default.contentsOfDirectory(atPath: (root as NSString).appendingPathComponent(folder)))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(folder))
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        let manifest = produced.keys.sorted().map { String(format: "%016llx %@", produced[$0]!, $0) }.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(manifest.utf8), to: (root as NSString).appendingPathComponent(Self.manifestName))
    }

    /// A relative path that cannot leave the folder: no empty, `.` or `..` segments, no backslash,
    /// not absolute.
    static func isSafe(_ relative: String) -> Bool {
        !relative.isEmpty && !relative.hasPrefix("/") && !relative.contains("\\")
            && relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// A stable 64-bit content fingerprint (not a security hash: it only spares rewrites). FNV-1a
    /// over 8-byte words, then the remaining bytes, so a 10 MB catalog hashes in a few milliseconds.
    static func fnv1a(_ data: some ContiguousBytes) -> UInt64 {
        data.withUnsafeBytes { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
            let words = bytes.count / 8
            for index in 0..<words {
                hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x100_0000_01b3
                hash ^= hash >> 29
            }
            for byte in bytes[(words * 8)...] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            return hash
        }
    }
}

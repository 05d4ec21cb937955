import Catalog
import Infrastructure
import Foundation

/// The output folder of a build. Nothing in it changes until `commit`: every step stages what it
/// produces in `.shots-staging/`, and a build that fails at any step leaves the folder exactly as
/// the previous build left it (`discard`). Files whose content has not changed since the last
/// build are not staged at all (a manifest of content hashes remembers them), and files the last
/// build wrote that this one does not are removed at the commit, so `_site/` is always exactly one
/// build's output.
///
/// Every path goes through `OutputFolder`: it stays inside the folder, and no symbolic link in it
/// is followed. No two outputs of one build may claim the same path (a network named like a page
/// cannot replace it). Steps that run alongside each other stage through one output: its
/// bookkeeping is locked, the files themselves are written in parallel.
final class SiteOutput: @unchecked Sendable {
    /// The build's own files (manifest, staging, cache) start with this; no page may.
    static let reservedPrefix = ".shots-"
    static let manifestName = reservedPrefix + "manifest"
    static let stagingName = reservedPrefix + "staging"

    let folder: OutputFolder
    private(set) var written = 0
    private(set) var unchanged = 0
    private(set) var removed = 0
    private var produced: [String: BuildManifest.Entry] = [:]
    /// Files to move into place at the commit: target path → staged name.
    private var staged: [String: String] = [:]
    /// Staged files the manifest does not list (the build cache), moved in after all the others.
    private var untracked: Set<String> = []
    private var stagedCount = 0
    /// Every folder this build's paths run through: no output may be a file at one of them.
    private var claimedFolders: Set<String> = []
    private let previous: [String: BuildManifest.Entry]
    private let afterKilledBuild: Bool
    private let lock = NSLock()

    init(root: String) throws(Problem) {
        folder = try OutputFolder(path: root)
        try folder.lockExclusively(who: "another shots build")
        // A staging folder left behind means a build was killed: its staged files go now, and the
        // empty folders it may have made for them go after this build's commit.
        afterKilledBuild = folder.isFolder(Self.stagingName)
        for name in folder.names(in: Self.stagingName) { folder.remove(Self.stagingName + "/" + name) }
        folder.removeLeftoverTemporaries(of: Self.manifestName)
        let manifest = folder.read(Self.manifestName).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let previous = BuildManifest(text: manifest).entries
        self.previous = previous
    }

    /// Whether every file the previous build wrote is still there, as it recorded: only then can
    /// a build leave some of them alone.
    var isIntact: Bool {
        !previous.isEmpty && previous.allSatisfy { $0.value.hash != Self.unknownHash && $0.value.stamp != nil && folder.stamp($0.key) == $0.value.stamp }
    }

    /// Marks a file of the previous build as part of this one, unchanged and unread.
    func keep(_ relative: String) throws(Problem) {
        let claimed = lock.withLock { () -> Bool in
            guard let entry = previous[relative] else { return true }
            guard produced[relative] == nil, staged[relative] == nil, claim(relative) else { return false }
            produced[relative] = entry
            unchanged += 1
            return true
        }
        guard claimed else {
            throw claimedTwice(relative)
        }
    }

    /// Stages `data` for `relative` (a path under the root) unless it is unchanged. `tracked:
    /// false` is for the build's own bookkeeping: not listed in the manifest, moved in last.
    func write(_ relative: String, _ data: Data, tracked: Bool = true) throws(Problem) {
        guard OutputFolder.isSafe(relative), tracked != relative.hasPrefix(Self.reservedPrefix) else {
            throw Problem(origin: folder.shown(relative), reason: "not a path a page or file may take (a permalink or name with '..', '//', '\\\\' or a control character, or one of the build's own .shots- files?)")
        }
        let hash = SiteOutput.fnv1a(data)
        let stagedName = lock.withLock { () -> String? in
            guard produced[relative] == nil, staged[relative] == nil, claim(relative) else { return nil }
            let name = String(stagedCount)
            stagedCount += 1
            if tracked { produced[relative] = BuildManifest.Entry(hash: hash) } else { untracked.insert(relative) }
            staged[relative] = name
            return name
        }
        guard let stagedName else {
            throw claimedTwice(relative)
        }
        if tracked, let entry = previous[relative], entry.hash == hash, entry.stamp != nil, folder.stamp(relative) == entry.stamp {
            lock.withLock { staged[relative] = nil; produced[relative] = entry; unchanged += 1 }
            return
        }
        // The target's folders are made now, alongside the other steps (a failed build removes them).
        _ = try folder.folder(PathText.parent(relative), create: true)
        try folder.create(data, at: Self.stagingName + "/" + stagedName)
        if tracked { lock.withLock { written += 1 } }
    }

    private func claimedTwice(_ relative: String) -> Problem {
        Problem(origin: folder.shown(relative), reason: "two outputs of this build claim this path (a network or page named like another page?)")
    }

    /// Records `relative`'s folders as this build's; false when one of them, or `relative` itself,
    /// is already another output's file or folder. Called under the lock.
    private func claim(_ relative: String) -> Bool {
        guard !claimedFolders.contains(relative) else { return false }
        var parents: [String] = []
        var parent = PathText.parent(relative)
        while !parent.isEmpty, !claimedFolders.contains(parent) {
            guard produced[parent] == nil, staged[parent] == nil else { return false }
            parents.append(parent)
            parent = PathText.parent(parent)
        }
        claimedFolders.formUnion(parents)
        return true
    }

    /// Moves every staged file into place, removes what the previous build wrote and this one did
    /// not (and folders left empty by that), then records this build.
    ///
    /// Before anything moves, every target's folders are checked (a link or a file where a
    /// folder belongs stops the build here, with nothing changed), and the manifest is rewritten
    /// to list both builds' files with the changing ones marked unknown: a build killed during the
    /// commit leaves each file old or new, and the next build rewrites or removes all of those.
    func commit() throws(Problem) {
        let stale = previous.keys.filter { produced[$0] == nil }.sorted()
        for relative in staged.keys {
            _ = try folder.folder(PathText.parent(relative), create: false)  // a link on the way throws, naming it
            if folder.isFolder(relative) {
                throw Problem(origin: folder.shown(relative), reason: "is a folder where this build writes a file (remove it)")
            }
        }
        var transitional = previous.merging(produced) { old, _ in old }
        for relative in Array(staged.keys) + stale where transitional[relative] != nil {
            transitional[relative] = BuildManifest.Entry(hash: Self.unknownHash)
        }
        // Not flushed: it guards against a killed process, whose writes the page cache keeps; the
        // final manifest, flushed, is what makes the build count after a power loss.
        if transitional != previous { try writeManifest(transitional, durable: false) }
        for relative in untracked { folder.remove(relative) }  // a cache never describes a half-committed output
        for (relative, name) in staged.sorted(by: { $0.key < $1.key }) where !untracked.contains(relative) {
            try folder.move(Self.stagingName + "/" + name, to: relative)
            produced[relative]?.stamp = folder.stamp(relative)
        }
        for relative in stale where folder.remove(relative) {
            removed += 1
            var parent = PathText.parent(relative)
            while !parent.isEmpty, folder.removeFolderIfEmpty(parent) { parent = PathText.parent(parent) }
        }
        for relative in untracked.sorted() { try folder.move(Self.stagingName + "/" + staged[relative]!, to: relative) }
        try writeManifest(produced)
        folder.removeFolderIfEmpty(Self.stagingName)
        if afterKilledBuild { removeEmptyFolders(under: "") }
    }

    /// Removes every empty folder below `relative`, deepest first (never the build's own).
    private func removeEmptyFolders(under relative: String) {
        for name in folder.names(in: relative) where !(relative.isEmpty && name.hasPrefix(Self.reservedPrefix)) {
            let child = relative.isEmpty ? name : relative + "/" + name
            guard folder.isFolder(child) else { continue }
            removeEmptyFolders(under: child)
            folder.removeFolderIfEmpty(child)
        }
    }

    /// Forgets what this build staged: the folder stays as the previous build left it.
    func discard() {
        for name in staged.values { folder.remove(Self.stagingName + "/" + name) }
        folder.removeFolderIfEmpty(Self.stagingName)
        folder.removeCreatedFolders()
    }

    private func writeManifest(_ entries: [String: BuildManifest.Entry], durable: Bool = true) throws(Problem) {
        try folder.write(BuildManifest(entries: entries).encoded, to: Self.manifestName, durable: durable)
    }

    /// The hash recorded for a file a killed commit may or may not have replaced: it matches no content.
    private static let unknownHash: UInt64 = 0

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
            return hash == unknownHash ? 1 : hash
        }
    }
}

import Foundation
import TestSupport

/// A Tezos node's data dir as `shots pack` finds it, with every kind of entry a tarball must keep
/// (long paths, modes, times, links in and out of the tree, a link loop, an empty folder) and the
/// files it must leave out (identity, peers, lock, lost+found).
struct TezosDataDir {
    let root: String
    static let blockHash = "BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2"
    static let versionJSON = """
        {"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET",\
        "distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
        """
    /// Paths (from the data dir) that must not reach a tarball.
    static let secrets = ["node/data/identity.json", "node/data/peers.json", "node/data/lock", "node/data/lost+found", "lost+found"]

    /// A data dir path with no fixture behind it.
    init(root: String) { self.root = root }

    init(in folder: TemporaryFolder, name: String = "data") throws {
        root = folder.subpath(name)
        let data = root + "/node/data"
        let deep = data + "/context/" + String(repeating: "index-folder-with-a-long-name/", count: 4)
        for path in [data + "/store/cycles", deep, data + "/empty", data + "/lost+found", root + "/lost+found"] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        var generator = SeededBytes(seed: 42)
        try Data(generator.bytes(3_000_000)).write(to: URL(fileURLWithPath: data + "/store/cycles/blocks.bin"))
        try Data(String(repeating: "context entry ", count: 50_000).utf8).write(to: URL(fileURLWithPath: deep + "/store.dict"))
        try "#!/bin/sh\necho upgrade\n".write(toFile: data + "/store/upgrade.sh", atomically: false, encoding: .utf8)
        chmod(data + "/store/upgrade.sh", 0o755)
        try "private\n".write(toFile: data + "/store/owner-only", atomically: false, encoding: .utf8)
        chmod(data + "/store/owner-only", 0o600)
        try "{\"data-dir\": \"/var/tezos/node/data\"}\n".write(toFile: data + "/config.json", atomically: false, encoding: .utf8)
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, data + "/config.json", &times, 0)
        symlink("cycles/blocks.bin", data + "/store/latest")  // inside the tree
        symlink("/etc/passwd", data + "/store/outside")  // out of the tree: kept as a link, never followed
        symlink("loop-b", data + "/store/loop-a")  // a loop
        symlink("loop-a", data + "/store/loop-b")
        symlink("../..", data + "/store/up")  // a folder link back up: followed, it would never end
        try TezosDataDir.versionJSON.write(toFile: folder.subpath("version.json"), atomically: false, encoding: .utf8)
        for secret in ["identity.json", "peers.json", "lock"] {
            try "{\"secret_key\": \"edsk-do-not-publish\"}\n".write(toFile: data + "/" + secret, atomically: false, encoding: .utf8)
        }
        try "found\n".write(toFile: data + "/lost+found/#1234", atomically: false, encoding: .utf8)
    }
}

/// `shots pack` of a fixture made in `folder` with block info on the command line, signed with `key`.
func pack(_ data: TezosDataDir, _ folder: TemporaryFolder, profile: String = "tezos-rolling", output: String = "out",
          extra: [String] = [], key: String? = nil) throws -> ProgramRun {
    try Shots.run([
        "pack", data.root, "--profile", profile, "--network", "mainnet", "--base-url", "https://mainnet.xtz-shots.io",
        "--block-height", "5000000", "--block-hash", TezosDataDir.blockHash, "--block-timestamp", "2024-06-20T10:00:00Z",
        "--node-version", folder.subpath("version.json"), "-o", folder.subpath(output),
    ] + (key.map { ["--signing-key", $0] } ?? []) + extra)
}

/// `shots pack` of the fixture as a rolling tarball at `height` into `folder/out-<height>`, signed
/// with `key` (else unsigned); returns the artifact's path, for the publish tests.
func packedArtifact(_ data: TezosDataDir, _ folder: TemporaryFolder, height: Int, key: String? = nil) throws -> String {
    let output = folder.subpath("out-\(height)")
    let run = try Shots.run([
        "pack", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--base-url", "https://mainnet.xtz-shots.io",
        "--block-height", String(height), "--block-hash", TezosDataDir.blockHash, "--block-timestamp", "2024-06-20T10:00:00Z",
        "--node-version", folder.subpath("version.json"), "-o", output, "-q",
    ] + (key.map { ["--signing-key", $0] } ?? ["--unsigned"]))
    guard run.status == 0 else { throw PackFailed(stderr: run.stderr) }
    return output + "/tezos-mainnet-rolling-tarball-\(height).lz4"
}

struct PackFailed: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "shots pack failed: \(stderr)" }
}

/// Deterministic pseudo-random bytes (xorshift), so fixtures compress like real binary data.
struct SeededBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { index in
            if index % 8 == 0 { state ^= state << 13; state ^= state >> 7; state ^= state << 17 }
            // Half the bytes repeat, so the data compresses some, like a real store.
            return index % 16 < 8 ? UInt8(truncatingIfNeeded: state >> ((index % 8) * 8)) : UInt8(index % 7)
        }
    }
}

/// One entry of a folder tree as a user compares it: kind, permissions, time, contents or link.
struct TreeEntry: Equatable, CustomStringConvertible {
    var kind: String
    var mode: UInt32
    var modified: Int
    var contents: Data?
    var target: String?

    var description: String { "\(kind) \(String(mode, radix: 8)) \(modified) \(target ?? "") \(contents?.count ?? 0) bytes" }

    /// Every entry under `root` by relative path, without following links.
    static func tree(_ root: String) -> [String: TreeEntry] {
        var entries: [String: TreeEntry] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return entries }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var status = stat()
            lstat(path, &status)
            let kind = status.st_mode & S_IFMT
            var entry = TreeEntry(kind: kind == S_IFDIR ? "folder" : kind == S_IFLNK ? "link" : "file", mode: UInt32(status.st_mode & 0o7777),
                                  modified: Int(status.st_mtim.tv_sec))
            if kind == S_IFLNK { entry.target = try? FileManager.default.destinationOfSymbolicLink(atPath: path); entry.mode = 0 }
            if kind == S_IFREG { entry.contents = FileManager.default.contents(atPath: path) }
            if kind == S_IFDIR { entry.modified = 0 }  // extracting into a folder touches its time
            entries[relative] = entry
        }
        return entries
    }
}

/// Runs a bash script (the standard CLIs, as a user would).
func shell(_ script: String, environment: [String: String] = [:]) throws -> ProgramRun {
    try runProgram(URL(fileURLWithPath: "/bin/bash"), ["-c", script], environment: environment)
}

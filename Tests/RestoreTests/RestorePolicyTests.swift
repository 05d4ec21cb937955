import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport
@testable import Restore

/// The pure rules of a restore: which tar entries may land, which artifact the picker takes, and
/// whether it fits.
struct RestorePolicyTests {
    @Test("files, folders and links that stay inside DEST pass; what leads out is refused, naming the entry")
    func entryPolicy() throws {
        for (path, kind) in [("node/data/config.json", EntryPolicy.Kind.file), ("node/", .folder), ("./node/data", .folder),
                             ("node/data/store/latest", .symlink(target: "cycles/blocks.bin")), ("node/data/store/up", .symlink(target: "../..")),
                             ("node/data/b", .hardlink(target: "node/data/a"))] {
            #expect(throws: Never.self, "\(path)") { try EntryPolicy.check(path: path, kind: kind) }
        }
        let refused: [(String, EntryPolicy.Kind, String)] = [
            ("/etc/cron.d/evil", .file, "is absolute"),
            ("node/../../evil", .file, "climbs out"),
            ("node/data/out", .symlink(target: "/etc"), "absolute path"),
            ("node/data/out", .symlink(target: "../../.."), "leads out"),
            ("top", .symlink(target: "a/../../b"), "after a name"),
            ("node", .symlink(target: "x/x/x/../../.."), "after a name"),
            ("node/data/link", .hardlink(target: "../outside"), "hard link target climbs out"),
            ("node/data/tty", .other("character device"), "is a character device"),
            ("", .file, "empty"),
        ]
        for (path, kind, words) in refused {
            let problem = #expect(throws: Problem.self) { try EntryPolicy.check(path: path, kind: kind) }
            #expect(problem?.reason.contains(words) == true, "\(path): \(problem?.description ?? "")")
            #expect(problem?.origin == "tar entry \"\(path)\"")
        }
    }

    @Test("the picker takes the chart's choice: same network, mode and type, the node's octez major when present, the highest block")
    func picker() throws {
        func tezos(_ height: Int64, major: Int64, type: String = "tarball", mode: String = "rolling", network: String = "mainnet") throws -> Artifact {
            try artifact(artifactJSON(network: network, type: type, mode: mode, height: height, major: major))
        }
        let artifacts = [try tezos(100, major: 19), try tezos(300, major: 20), try tezos(250, major: 19), try tezos(400, major: 21, type: "tezos-snapshot"),
                         try tezos(500, major: 20, mode: "archive"), try tezos(600, major: 20, network: "ghostnet")]
        func pick(_ major: Int64?) -> Int64? {
            SnapshotPicker(network: "mainnet", historyMode: .rolling, artifactType: .tarball, octezMajor: major).pick(artifacts)?.blockHeight
        }
        #expect(pick(19) == 250)
        #expect(pick(20) == 300)
        #expect(pick(nil) == 300)
        #expect(pick(18) == 300, "no build of that major: the newest of all, as the chart falls back")
        #expect(SnapshotPicker(network: "mainnet", historyMode: .rolling, artifactType: .tezosSnapshot, octezMajor: nil).pick(artifacts)?.blockHeight == 400)
        #expect(SnapshotPicker(network: "ghostnet", historyMode: .archive, artifactType: .tarball, octezMajor: nil).pick(artifacts) == nil)
    }

    @Test("keeping DEST's contents needs room for both; --free-first counts what they take")
    func spaceVerdict() {
        #expect(SpaceCheck.verdict(needed: 100, available: 150, currentUsage: 500, freeFirst: false) == .fits)
        #expect(SpaceCheck.verdict(needed: 100, available: 50, currentUsage: 60, freeFirst: false) == .fitsOnlyAfterFreeing)
        #expect(SpaceCheck.verdict(needed: 100, available: 50, currentUsage: 60, freeFirst: true) == .fits)
        #expect(SpaceCheck.verdict(needed: 100, available: 50, currentUsage: 40, freeFirst: true) == .doesNotFit)
    }

    @Test("a signature's trusted timestamp, as shots and minisign write it")
    func trustedTimestamp() {
        #expect(SignedCatalog.trustedTimestamp("timestamp:1733300000\tfile:tezos-snapshots.json\thashed") == 1_733_300_000)
        #expect(SignedCatalog.trustedTimestamp("file:x") == nil)
    }

    @Test("an artifact's companions are found beside its URL, whatever the query")
    func siblings() {
        #expect(SiteAddress.sibling(of: "https://h.io/store/a.lz4?x=1", named: "a.lz4.json") == "https://h.io/store/a.lz4.json")
        #expect(SiteAddress.lastComponent(of: "https://h.io/store/a%2B.lz4") == "a+.lz4")
        #expect(SiteAddress.host(of: "http://127.0.0.1:4000/x") == "127.0.0.1:4000")
    }
}

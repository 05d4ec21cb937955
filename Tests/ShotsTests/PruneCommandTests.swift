import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots prune` on folder stores and on moto: retention per kind, the newest and the recent
/// spared, leftovers of failed runs removed, an operator's own objects left alone.
final class PruneCommandTests: XCTestCase {
    private func name(_ height: Int) -> String { "tezos-mainnet-rolling-tarball-\(height).lz4" }
    private let heights = [5_000_100, 5_000_200, 5_000_300, 5_000_400]

    func testKeepsTheNewestAndRemovesWhatFailedRunsLeft() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let stores = FolderStores(root: folder.subpath("stores"))
        for height in heights {
            let run = try stores.publish(try packedArtifact(data, folder, height: height))
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let mainnet = stores.root + "/mainnet/"
        // What failed runs leave, and an object of the operator's own.
        try folder.write("stores/mainnet/\(name(5_000_900))", "an upload whose run died before its .json")
        try folder.write("stores/mainnet/\(name(5_000_800)).sha256", "a checksum whose artifact is gone")
        try folder.write("stores/mainnet/.shots-store/uploads/4242-abc", "a killed upload's staging file")
        try folder.write("stores/mainnet/notes.txt", "the operator's")

        // Everything was published moments ago: the grace period spares it all.
        let spared = try stores.run("prune", ["--keep", "2", "--dry-run"])
        XCTAssertEqual(spared.status, 0, spared.stderr)
        XCTAssertTrue(spared.stdout.contains("would free 0 B"), spared.stdout)
        XCTAssertTrue(spared.stdout.contains("published within the grace period"), spared.stdout)

        let before = snapshot(of: stores.root)
        let plan = try stores.run("prune", ["--keep", "2", "--grace", "0s", "--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        for pruned in [name(5_000_100), name(5_000_200)] { XCTAssertTrue(plan.stdout.contains("prune     \(mainnet)\(pruned) "), plan.stdout) }
        for left in [name(5_000_900), name(5_000_800) + ".sha256", ".shots-store/uploads/4242-abc"] {
            XCTAssertTrue(plan.stdout.contains("leftover  \(mainnet)\(left) "), plan.stdout)
        }
        XCTAssertFalse(plan.stdout.contains("notes.txt"))
        XCTAssertEqual(snapshot(of: stores.root), before, "a dry run writes and deletes nothing")

        let run = try stores.run("prune", ["--keep", "2", "--grace", "0s"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(Set(try stores.baseFilenames()), [name(5_000_300), name(5_000_400)])
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + name(5_000_400))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: mainnet))
        for gone in [name(5_000_100), name(5_000_200) + ".json", name(5_000_900), name(5_000_800) + ".sha256"] {
            XCTAssertFalse(left.contains(gone), gone)
        }
        XCTAssertTrue(left.isSuperset(of: [name(5_000_300), name(5_000_400) + ".json", "notes.txt"]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mainnet + ".shots-store/uploads"), [])
        XCTAssertFalse(try String(contentsOfFile: stores.root + "/site/tezos-snapshots.json", encoding: .utf8).contains(name(5_000_100)))
        let record = try String(contentsOfFile: mainnet + "shots/withdrawn.json", encoding: .utf8)
        XCTAssertFalse(record.contains(name(5_000_100)), "pruned artifacts leave no record behind: \(record)")
    }

    func testRetentionIsNeeded() throws {
        let folder = try TemporaryFolder()
        let run = try FolderStores(root: folder.subpath("stores")).run("prune", ["--dry-run"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("--keep N or --max-age DURATION, or retention: in site.yml"), run.stderr)
        let bad = try FolderStores(root: folder.subpath("stores")).run("prune", ["--max-age", "7 days"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--max-age: expected a number and a unit"), bad.stderr)
    }

    func testOnS3() throws {
        let s3 = try MotoStores()
        try s3.publish(heights: Array(heights.prefix(3)), in: try TemporaryFolder())
        _ = try s3.moto.inspect(["begin", "mainnet-shots", name(5_000_999)])
        let run = try s3.run("prune", ["--keep", "1", "--grace", "0s"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let base = try s3.text("mainnet-shots", "base.json")
        XCTAssertTrue(base.contains(name(5_000_300)) && !base.contains(name(5_000_100)) && !base.contains(name(5_000_200)), base)
        for gone in [name(5_000_100), name(5_000_200) + ".json"] {
            XCTAssertEqual(try XCTUnwrap(s3.moto.inspect(["head", "mainnet-shots", gone]) as? [String: Any])["missing"] as? Bool, true, gone)
        }
        XCTAssertEqual(try s3.redirect("rolling-tarball"), "/" + name(5_000_300))
        XCTAssertEqual((try XCTUnwrap(s3.moto.inspect(["uploads", "mainnet-shots"]) as? [String: Any])["uploads"] as? [Any])?.count, 0, "the unfinished upload is aborted")
    }
}

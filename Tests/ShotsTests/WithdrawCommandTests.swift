import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots withdraw` on folder stores and on moto (read back by boto3): permalinks move first, the
/// catalogs shrink, objects go last, and no later publish brings a withdrawn artifact back.
final class WithdrawCommandTests: XCTestCase {
    private func name(_ height: Int) -> String { "tezos-mainnet-rolling-tarball-\(height).lz4" }

    private func published(_ heights: [Int], in folder: TemporaryFolder) throws -> (FolderStores, TezosDataDir) {
        let data = try TezosDataDir(in: folder)
        let stores = FolderStores(root: folder.subpath("stores"))
        for height in heights {
            let run = try stores.publish(try packedArtifact(data, folder, height: height))
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        return (stores, data)
    }

    private func withdrawn(_ stores: FolderStores) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: stores.root + "/mainnet/shots/withdrawn.json"))
        guard case .array(let list)? = try JSONParser.parse(data)["withdrawn"] else { return [:] }
        return Dictionary(uniqueKeysWithValues: list.compactMap { entry -> (String, String)? in
            guard case .string(let name)? = entry["filename"], case .string(let reason)? = entry["reason"] else { return nil }
            return (name, reason)
        })
    }

    func testPermalinksMoveToTheNextBestThenTheObjectsGo() throws {
        let folder = try TemporaryFolder()
        let (stores, _) = try published([5_000_100, 5_000_200], in: folder)
        let before = snapshot(of: stores.root)
        let plan = try stores.run("withdraw", [name(5_000_200), "--reason", "corrupt context", "--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("move  \(stores.root)/mainnet/rolling-tarball: /\(name(5_000_200)) -> /\(name(5_000_100))"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("delete \(stores.root)/mainnet/\(name(5_000_200))\n"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("write \(stores.root)/mainnet/shots/withdrawn.json"), plan.stdout)
        XCTAssertEqual(snapshot(of: stores.root), before, "a dry run writes nothing")

        let run = try stores.run("withdraw", [name(5_000_200), "--reason", "corrupt context"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + name(5_000_100))
        XCTAssertEqual(try stores.baseFilenames(), [name(5_000_100)])
        XCTAssertEqual(try withdrawn(stores), [name(5_000_200): "corrupt context"])
        for suffix in ["", ".sha256", ".sha256.minisig", ".json"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(stores.root)/mainnet/\(name(5_000_200))\(suffix)"), suffix)
        }
        for file in ["tezos-snapshots.json", "_redirects", "mainnet/index.html"] {
            let text = try String(contentsOfFile: "\(stores.root)/site/\(file)", encoding: .utf8)
            XCTAssertFalse(text.contains(name(5_000_200)), "\(file) no longer names it")
        }
        // Order: the run's log shows the permalinks moved before any object was deleted.
        let moved = try XCTUnwrap(run.stdout.range(of: "Move permalinks:"))
        let deleted = try XCTUnwrap(run.stdout.range(of: "Delete objects:"))
        XCTAssertLessThan(moved.lowerBound, deleted.lowerBound)
    }

    /// With --keep-objects the leftover .json stays in the store, and a later publish does not
    /// merge it back; withdrawing the last artifact of a kind removes its permalinks.
    func testAWithdrawnArtifactStaysOutAndTheLastOneTakesItsPermalinksAlong() throws {
        let folder = try TemporaryFolder()
        let (stores, data) = try published([5_000_100, 5_000_200], in: folder)
        let kept = try stores.run("withdraw", [name(5_000_200), "--reason", "forked node", "--keep-objects"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(stores.root)/mainnet/\(name(5_000_200)).json"))
        let next = try stores.publish(try packedArtifact(data, folder, height: 5_000_150))
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(Set(try stores.baseFilenames()), [name(5_000_100), name(5_000_150)], "the leftover .json is not merged back")
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + name(5_000_150))

        let all = try stores.run("withdraw", [name(5_000_100), name(5_000_150), "--reason", "whole series bad"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(try stores.baseFilenames(), [])
        for key in ["rolling-tarball", "rolling-tarball-metadata"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(stores.root)/mainnet/\(key)"), "\(key) had nothing left to lead to")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(stores.root)/site/mainnet/rolling-tarball/index.html"))
        XCTAssertFalse(try String(contentsOfFile: "\(stores.root)/site/_redirects", encoding: .utf8).contains("rolling-tarball"))
        XCTAssertEqual(Set(try withdrawn(stores).keys), [name(5_000_100), name(5_000_150), name(5_000_200)])
    }

    func testAnArtifactInNoCatalogIsNamed() throws {
        let folder = try TemporaryFolder()
        let (stores, _) = try published([5_000_100], in: folder)
        let before = snapshot(of: stores.root)
        let run = try stores.run("withdraw", ["tezos-mainnet-rolling-tarball-1.lz4", "--reason", "typo"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.errorLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("tezos-mainnet-rolling-tarball-1.lz4: is in no network's catalog"), run.stderr)
        XCTAssertEqual(snapshot(of: stores.root), before)
    }

    func testOnS3() throws {
        let s3 = try MotoStores()
        try s3.publish(heights: [5_000_100, 5_000_200], in: try TemporaryFolder())
        let run = try s3.run("withdraw", [name(5_000_200), "--reason", "corrupt"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try s3.redirect("rolling-tarball"), "/" + name(5_000_100))
        for suffix in ["", ".sha256", ".json"] {
            XCTAssertEqual(try XCTUnwrap(s3.moto.inspect(["head", "mainnet-shots", name(5_000_200) + suffix]) as? [String: Any])["missing"] as? Bool, true, suffix)
        }
        let base = try s3.text("mainnet-shots", "base.json")
        XCTAssertTrue(base.contains(name(5_000_100)) && !base.contains(name(5_000_200)), base)
        let record = try s3.text("mainnet-shots", "shots/withdrawn.json")
        XCTAssertTrue(record.contains(name(5_000_200)) && record.contains("corrupt"), record)
    }
}

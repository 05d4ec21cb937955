import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots redirects` after an artifact was pulled from a catalog by hand: the permalinks follow the
/// catalog, only to complete objects, in folder stores and in moto (read back by boto3).
final class RedirectsCommandTests: XCTestCase {
    private let newer = "tezos-mainnet-rolling-tarball-5000200.lz4"
    private let older = "tezos-mainnet-rolling-tarball-5000100.lz4"

    /// Two artifacts published, then the newer one taken out of base.json (as an operator would
    /// with jq): the permalinks still lead to it until `redirects` runs.
    private func pulled(_ folder: TemporaryFolder) throws -> FolderStores {
        let data = try TezosDataDir(in: folder)
        let stores = FolderStores(root: folder.subpath("stores"))
        for height in [5_000_100, 5_000_200] {
            let run = try stores.publish(try packedArtifact(data, folder, height: height))
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try stores.pull(newer)
        return stores
    }

    func testPermalinksFollowTheCatalogAndADryRunShowsTheMoves() throws {
        let folder = try TemporaryFolder()
        let stores = try pulled(folder)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + newer)

        let before = snapshot(of: stores.root)
        let plan = try stores.run("redirects", ["--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let row = plan.stdout.split(separator: "\n").first { $0.hasPrefix("\(stores.root)/mainnet/rolling-tarball ") }
        XCTAssertEqual(row?.split(separator: " ", omittingEmptySubsequences: true).map(String.init),
                       ["\(stores.root)/mainnet/rolling-tarball", "/" + newer, "/" + older], plan.stdout)
        XCTAssertTrue(plan.stdout.contains("would move 2 permalinks"), plan.stdout)
        XCTAssertEqual(snapshot(of: stores.root), before, "a dry run writes nothing")

        let run = try stores.run("redirects", [])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + older)
        XCTAssertEqual(try stores.redirect("rolling-tarball-metadata"), "/\(older).json")
        let redirects = try String(contentsOfFile: stores.root + "/site/_redirects", encoding: .utf8)
        XCTAssertTrue(redirects.contains(older) && !redirects.contains(newer), redirects)
        let catalog = try String(contentsOfFile: stores.root + "/site/tezos-snapshots.json", encoding: .utf8)
        XCTAssertFalse(catalog.contains(newer), "the catalog follows base.json")

        // Run again: nothing left to change, nothing written.
        let settled = snapshot(of: stores.root)
        let again = try stores.run("redirects", ["--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try JSONParser.parse(Data(again.stdout.utf8))["permalinks"], .array([]))
        XCTAssertEqual(try JSONParser.parse(Data(again.stdout.utf8))["written"], .array([]))
        XCTAssertEqual(snapshot(of: stores.root), settled)
    }

    /// A permalink moves only to a complete object: a truncated target stops the run, naming it,
    /// and every permalink stays where it was.
    func testAnIncompleteTargetMovesNothing() throws {
        let folder = try TemporaryFolder()
        let stores = try pulled(folder)
        let target = stores.root + "/mainnet/" + older
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        try handle.truncate(atOffset: 1000)
        try handle.close()
        let run = try stores.run("redirects", [])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.errorLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("step \"Move permalinks\"") && run.stderr.contains(older) && run.stderr.contains("is 1000 bytes"), run.stderr)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + newer)
    }

    func testOnS3() throws {
        let s3 = try MotoStores()
        let folder = try TemporaryFolder()
        try s3.publish(heights: [5_000_100, 5_000_200], in: folder)
        try s3.pull(newer, scratch: folder)
        let run = try s3.run("redirects", [])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try s3.redirect("rolling-tarball"), "/" + older)
        XCTAssertEqual(try s3.redirect("rolling-tarball-metadata"), "/\(older).json")
        let catalog = try s3.text("site-shots", "tezos-snapshots.json")
        XCTAssertTrue(catalog.contains(older) && !catalog.contains(newer))
    }
}

import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// One rule says which artifact is the newest (`LatestPolicy`: the lowest octez major present,
/// then the highest block), and every place that asks follows it: the bucket's permalink object,
/// the site's `_redirects`, and what prune keeps. An operator still on the older release keeps
/// getting what the site promises, wherever the permalink is read.
final class NewestRuleTests: XCTestCase {
    private func name(_ height: Int) -> String { "tezos-mainnet-rolling-tarball-\(height).lz4" }

    func testTheBucketPermalinkTheSiteAndPruneAgreeOnTheNewest() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let stores = FolderStores(root: folder.subpath("stores"))
        // octez 20 at a higher block is published first; then an octez 19 Job finishes at a lower block.
        let octez20 = try stores.publish(try packedArtifact(data, folder, height: 5_000_200))
        XCTAssertEqual(octez20.status, 0, octez20.stderr)
        try TezosDataDir.versionJSON.replacingOccurrences(of: "\"major\":20", with: "\"major\":19")
            .write(toFile: folder.subpath("version.json"), atomically: false, encoding: .utf8)
        let octez19 = try stores.publish(try packedArtifact(data, folder, height: 5_000_150))
        XCTAssertEqual(octez19.status, 0, octez19.stderr)

        let rules = try String(contentsOfFile: stores.root + "/site/_redirects", encoding: .utf8)
        XCTAssertTrue(rules.contains("/mainnet/rolling-tarball https://mainnet.xtz-shots.io/\(name(5_000_150)) 302"), rules)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + name(5_000_150), "the bucket's permalink leads where the site's does")
        XCTAssertEqual(try stores.redirect("rolling-tarball-metadata"), "/\(name(5_000_150)).json")

        // Keeping one keeps the artifact the permalinks serve, and prunes the other.
        let prune = try stores.run("prune", ["--keep", "1", "--grace", "0s"])
        XCTAssertEqual(prune.status, 0, prune.stderr)
        XCTAssertEqual(try stores.baseFilenames(), [name(5_000_150)])
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/" + name(5_000_150))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stores.root + "/mainnet/" + name(5_000_150)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stores.root + "/mainnet/" + name(5_000_200)))
    }
}

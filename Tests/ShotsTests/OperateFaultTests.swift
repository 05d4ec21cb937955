import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// The day-2 verbs when the S3 host goes away mid-way (the fault proxy drops every connection
/// from a chosen request on): the run fails naming its step, the store is left consistent (no
/// page or permalink leads to a missing object), and a run once the host is back completes.
final class OperateFaultTests: XCTestCase {
    private func name(_ height: Int) -> String { "tezos-mainnet-rolling-tarball-\(height).lz4" }

    private func published(_ heights: [Int]) throws -> (MotoStores, FaultProxy) {
        let s3 = try MotoStores()
        try s3.publish(heights: heights, in: try TemporaryFolder())
        return (s3, try FaultProxy(for: s3.moto))
    }

    private func exists(_ s3: MotoStores, _ key: String) throws -> Bool {
        try XCTUnwrap(s3.moto.inspect(["head", "mainnet-shots", key]) as? [String: Any])["missing"] as? Bool != true
    }

    /// The host goes at the first DELETE: the permalinks already lead to the next-best artifact,
    /// which is there, and the withdrawn one is out of base.json but still whole; again, it goes.
    func testWithdrawWhenTheHostGoesBeforeTheObjectsAreDeleted() throws {
        let (s3, proxy) = try published([5_000_100, 5_000_200])
        try proxy.setRules(#"[{"method": "DELETE", "action": "gone"}]"#)
        let failed = try s3.run("withdraw", [name(5_000_200), "--reason", "corrupt"], endpoint: proxy.endpoint)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("step \"Delete objects\""), failed.stderr)
        XCTAssertEqual(try s3.redirect("rolling-tarball"), "/" + name(5_000_100))
        XCTAssertTrue(try exists(s3, name(5_000_100)))
        XCTAssertFalse(try s3.text("mainnet-shots", "base.json").contains(name(5_000_200)))
        XCTAssertFalse(try s3.text("site-shots", "tezos-snapshots.json").contains(name(5_000_200)))

        let again = try s3.run("withdraw", [name(5_000_200), "--reason", "corrupt"])
        XCTAssertEqual(again.status, 0, again.stderr)
        for suffix in ["", ".sha256", ".json"] { XCTAssertFalse(try exists(s3, name(5_000_200) + suffix), suffix) }
    }

    /// The host goes while permalinks move: those not moved still lead to a complete artifact; a
    /// second `redirects` finishes the move.
    func testRedirectsWhenTheHostGoesWhilePermalinksMove() throws {
        let (s3, proxy) = try published([5_000_100, 5_000_200])
        try s3.pull(name(5_000_200), scratch: try TemporaryFolder())
        try proxy.setRules(#"[{"method": "PUT", "path": "rolling-tarball-metadata$", "action": "gone"}]"#)
        let failed = try s3.run("redirects", [], endpoint: proxy.endpoint)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("step \"Move permalinks\""), failed.stderr)
        for key in ["rolling-tarball", "rolling-tarball-metadata"] {
            let target = try XCTUnwrap(s3.redirect(key)).split(separator: "/").last.map(String.init) ?? ""
            XCTAssertTrue(try exists(s3, target), "\(key) leads to \(target), which is there")
        }
        let again = try s3.run("redirects", [])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try s3.redirect("rolling-tarball-metadata"), "/\(name(5_000_100)).json")
    }

    /// The host goes at prune's first DELETE: base.json and the permalinks already agree on what
    /// stays; the next prune deletes what the first one took out, and clears its record.
    func testPruneWhenTheHostGoesBeforeTheObjectsAreDeleted() throws {
        let (s3, proxy) = try published([5_000_100, 5_000_200, 5_000_300])
        try proxy.setRules(#"[{"method": "DELETE", "action": "gone"}]"#)
        let failed = try s3.run("prune", ["--keep", "1", "--grace", "0s"], endpoint: proxy.endpoint)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("step \"Delete objects\""), failed.stderr)
        let base = try s3.text("mainnet-shots", "base.json")
        XCTAssertTrue(base.contains(name(5_000_300)) && !base.contains(name(5_000_100)) && !base.contains(name(5_000_200)), base)
        XCTAssertEqual(try s3.redirect("rolling-tarball"), "/" + name(5_000_300))

        let again = try s3.run("prune", ["--keep", "1", "--grace", "0s"])
        XCTAssertEqual(again.status, 0, again.stderr)
        for gone in [name(5_000_100), name(5_000_200), name(5_000_200) + ".json"] { XCTAssertFalse(try exists(s3, gone), gone) }
        XCTAssertTrue(try exists(s3, name(5_000_300)))
        XCTAssertFalse(try s3.text("mainnet-shots", "shots/withdrawn.json").contains(name(5_000_100)), "the record is cleared")
    }
}

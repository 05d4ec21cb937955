import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// Polkadot and Kusama through the same `shots publish`: packed from a chain folder straight into
/// the chain's store, its own permalinks moved, the polkashots site rebuilt from the stores.
final class PublishPolkadotTests: XCTestCase {
    private static let site = Shots.packageRoot.path + "/site/polkashots"

    private func publishChain(_ folder: TemporaryFolder, height: Int, site: String = site) throws -> ProgramRun {
        let chain = "dot/chains/polkadot"
        try folder.write(chain + "/db/full/000001.sst", String(repeating: "rocksdb \(height) ", count: 10_000))
        try folder.write(chain + "/keystore/6772616e0123", "\"secret seed\"")
        try folder.write("polkadot-version.txt", "polkadot 1.11.0-0bb6249268c\n")
        return try Shots.run([
            "publish", folder.subpath("dot"), "--site", site, "--store", folder.subpath("stores/{network}"),
            "--site-store", folder.subpath("stores/site"), "--profile", "polkadot", "--unsigned",
            "--base-url", "https://polkadot.polkashots.io", "--block-height", String(height),
            "--block-hash", "0x" + String(repeating: "ab", count: 32), "--pruning", "1000",
            "--node-version", folder.subpath("polkadot-version.txt"),
        ])
    }

    private func redirect(_ folder: TemporaryFolder, _ key: String) throws -> String? {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.subpath("stores/polkadot/.shots-store/headers/\(key).json")))
        guard case .string(let location)? = try JSONParser.parse(data)["website_redirect_location"] else { return nil }
        return location
    }

    func testAChainSnapshotIsPublishedWithItsOwnPermalinksAndSite() throws {
        let folder = try TemporaryFolder()
        let first = try publishChain(folder, height: 21_000_000)
        XCTAssertEqual(first.status, 0, first.stderr)
        let name = "polkadot-21000000.rocksdb.tar.lz4"
        let store = folder.subpath("stores/polkadot")
        let check = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \(store) && sha256sum -c \(name).sha256 && lz4 -dc \(name) | tar -t"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertFalse(check.stdout.contains("keystore"), "the keystore is never packed: \(check.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store + "/base.json"), "polkashots keeps no base.json: the .json objects are the catalog")
        XCTAssertFalse(first.stdout.contains("Merge base.json"), first.stdout)
        XCTAssertEqual(try redirect(folder, "rocksdb"), "/" + name)
        XCTAssertEqual(try redirect(folder, "rocksdb-metadata"), "/\(name).json")
        XCTAssertEqual(try redirect(folder, "index.html"), "https://polkashots.io/polkadot/rocksdb/")
        let rules = try String(contentsOfFile: folder.subpath("stores/site/_redirects"), encoding: .utf8)
        XCTAssertTrue(rules.contains("/dot/rocksdb https://polkadot.polkashots.io/\(name) 302"), rules)
        let page = try String(contentsOfFile: folder.subpath("stores/site/polkadot/rocksdb/index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains(name), "the chain's page shows the published snapshot")

        // The next day's snapshot: both are listed, the permalinks move to the newer one.
        let second = try publishChain(folder, height: 21_100_000)
        XCTAssertEqual(second.status, 0, second.stderr)
        let newer = "polkadot-21100000.rocksdb.tar.lz4"
        XCTAssertEqual(try redirect(folder, "rocksdb"), "/" + newer)
        let feed = try String(contentsOfFile: folder.subpath("stores/site/polkadot/rocksdb/feed.xml"), encoding: .utf8)
        XCTAssertTrue(feed.contains(name) && feed.contains(newer), "the site is built from every snapshot in the store: \(feed)")
    }

    /// site.yml may give a chain its own short name (`/polka/rocksdb`): the pages, publish and
    /// withdraw all use it, so withdrawing the last snapshot leaves no short permalink behind.
    func testWithdrawingTheLastSnapshotTakesTheChainsOwnShortPermalinkAlong() throws {
        let folder = try TemporaryFolder()
        let site = folder.subpath("site")
        try FileManager.default.copyItem(atPath: Self.site, toPath: site)
        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
        try config.replacingOccurrences(of: "short_name: dot", with: "short_name: polka").write(toFile: site + "/site.yml", atomically: false, encoding: .utf8)
        let published = try publishChain(folder, height: 21_000_000, site: site)
        XCTAssertEqual(published.status, 0, published.stderr)
        let name = "polkadot-21000000.rocksdb.tar.lz4"
        let shortPage = folder.subpath("stores/site/polka/rocksdb/index.html")
        XCTAssertTrue(try String(contentsOfFile: shortPage, encoding: .utf8).contains(name))

        let withdrawn = try Shots.run(["withdraw", name, "--reason", "bad database", "--site", site, "--store", folder.subpath("stores/{network}"),
                                       "--site-store", folder.subpath("stores/site"), "--unsigned"])
        XCTAssertEqual(withdrawn.status, 0, withdrawn.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: shortPage), "the short permalink's page leads nowhere now")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.subpath("stores/site/polkadot/rocksdb/snapshot/index.html")))
        XCTAssertNil(try? redirect(folder, "rocksdb"))
    }

    /// A withdrawn snapshot's `.json` left in the chain's store (`--keep-objects`) is not part of
    /// the catalog: the site is published once, not again and again as if another publisher wrote.
    func testWithdrawingOneOfTwoSnapshotsKeepingItsObjectsPublishesOnce() throws {
        let folder = try TemporaryFolder()
        for height in [21_000_000, 21_100_000] {
            let run = try publishChain(folder, height: height)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let newer = "polkadot-21100000.rocksdb.tar.lz4"
        let withdrawn = try Shots.run(["withdraw", newer, "--reason", "bad database", "--keep-objects", "--site", Self.site,
                                       "--store", folder.subpath("stores/{network}"), "--site-store", folder.subpath("stores/site"), "--unsigned"])
        XCTAssertEqual(withdrawn.status, 0, withdrawn.stderr)
        XCTAssertFalse((withdrawn.stdout + withdrawn.stderr).contains("publishing the site again"), withdrawn.stdout + withdrawn.stderr)
        XCTAssertEqual(try redirect(folder, "rocksdb"), "/polkadot-21000000.rocksdb.tar.lz4")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.subpath("stores/polkadot/\(newer).json")), "--keep-objects keeps it")
    }

    func testAChainSnapshotWithATezosSiteIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try TemporaryFolder()
        let run = try publishChain(folder, height: 21_000_000, site: Shots.packageRoot.path + "/site")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.errorLines.last?.contains("--profile: is a polkadot artifact, but the site (--site) shows tezos artifacts") == true, run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.subpath("stores")), "nothing was written")
    }
}

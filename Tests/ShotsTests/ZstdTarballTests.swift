import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// A zstd profile beside the LZ4 one: its own names, metadata, permalinks and page section, never
/// in tezos-snapshots.json (whose clients pipe every tarball through `lz4 -d`), and read back by the
/// stock `zstd -d | tar -x`, `shots verify` and `shots restore`.
final class ZstdTarballTests: XCTestCase {
    func testAZstdTarballIsPublishedApartFromTheLZ4ClientsAndRestores() throws {
        // Several 4 MiB frames of incompressible data, so the stream is many independent frames.
        let fixture = try RestoreFixture(bigFileBytes: 9_000_000)
        try RestoreFixture.publish(fixture.data.root, folder: fixture.folder, stores: fixture.stores, height: RestoreFixture.height,
                                   origin: fixture.origin, profile: "tezos-rolling-zstd")
        let name = "tezos-mainnet-rolling-tarball-\(RestoreFixture.height).zst"
        let bucket = fixture.stores + "/mainnet/"

        let metadata = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: bucket + name + ".json")))
        XCTAssertEqual(metadata["compression"], .string("zstd"))
        XCTAssertEqual(metadata["artifact_type"], .string("tarball"))
        let lz4Metadata = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: bucket + fixture.filename + ".json")))
        XCTAssertNil(lz4Metadata["compression"], "LZ4 metadata stays as the chart has always read it")

        // base.json keeps both; the chart's catalog lists only the LZ4 one.
        let base = try String(contentsOfFile: bucket + "base.json", encoding: .utf8)
        XCTAssertTrue(base.contains(name) && base.contains(fixture.filename), base)
        let catalog = try String(contentsOfFile: fixture.stores + "/site/tezos-snapshots.json", encoding: .utf8)
        XCTAssertTrue(catalog.contains(fixture.filename), catalog)
        XCTAssertFalse(catalog.contains(".zst"), "a zstd tarball is never offered to lz4 -d: \(catalog)")

        // Its own permalinks, in the bucket and on the site; the LZ4 ones did not move.
        func location(_ path: String) throws -> String {
            let run = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-o", "/dev/null", "-w", "%{redirect_url}", fixture.origin + path])
            return run.stdout
        }
        XCTAssertTrue(try location("/store/mainnet/rolling-tarball-zstd").hasSuffix("/" + name))
        XCTAssertTrue(try location("/store/mainnet/rolling-tarball-zstd-metadata").hasSuffix("/" + name + ".json"))
        XCTAssertTrue(try location("/mainnet/rolling-tarball-zstd").hasSuffix("/" + name))
        XCTAssertTrue(try location("/store/mainnet/rolling-tarball").hasSuffix("/" + fixture.filename))
        let page = try String(contentsOfFile: fixture.stores + "/site/mainnet/index.html", encoding: .utf8)
        XCTAssertTrue(page.contains("id=\"rolling-tarball-zstd\""), "the network page has a section of its own")
        XCTAssertTrue(page.contains("/rolling-tarball-zstd | zstd -d | tar -x"), "its one-liner decompresses with zstd")
        XCTAssertTrue(page.contains("/rolling-tarball | lz4 -d | tar -x"), "the LZ4 one-liner is unchanged")

        // The stock tools read it back: the packed tree, exactly.
        let unpacked = fixture.folder.subpath("unpacked")
        let stock = try shell("mkdir -p '\(unpacked)' && zstd -d -c '\(bucket + name)' | tar -x -C '\(unpacked)'")
        XCTAssertEqual(stock.status, 0, stock.stderr)
        let expected = fixture.expectedTree()
        XCTAssertEqual(snapshotOfTree(unpacked), expected)

        let verified = try Shots.run(["verify", fixture.origin + "/store/mainnet/rolling-tarball-zstd", "--public-key", fixture.publicKey])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.hasPrefix("verified \(name): "), verified.stdout)

        let destination = fixture.folder.subpath("dest")
        try fixture.folder.write("dest/node/data/identity.json", "mine")
        let restored = try fixture.restore(fixture.origin + "/mainnet/rolling-tarball-zstd", into: destination)
        XCTAssertEqual(restored.status, 0, restored.stderr)
        var tree = snapshotOfTree(destination)
        XCTAssertEqual(tree.removeValue(forKey: "node/data/identity.json")?.contents, Data("mine".utf8))
        XCTAssertEqual(tree, expected)

        // A cut artifact (its hash then fails too) is refused and DEST stays as it was.
        let before = snapshotOfTree(destination)
        let size = try FileManager.default.attributesOfItem(atPath: bucket + name)[.size] as! Int
        XCTAssertEqual(truncate(bucket + name, off_t(size - 5000)), 0)
        let cut = try fixture.restore(fixture.origin + "/store/mainnet/" + name, into: destination)
        XCTAssertEqual(cut.status, 1, cut.stderr)
        XCTAssertEqual(snapshotOfTree(destination), before)
        XCTAssertEqual(stagingLeftovers(destination), [])
    }
}

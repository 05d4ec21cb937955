import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// What else a restore meets: hostile tarballs that passed every signature check, `.rolling`
/// snapshots imported by the node, and Polkadot chain folders.
final class RestoreKindsTests: XCTestCase {
    /// Absolute paths, `..`, links out of DEST (and files written through them), hard links out
    /// and device files: each restore fails naming the entry, nothing lands outside, and DEST keeps
    /// its previous contents.
    func testAHostileTarballNeverWritesOutsideItsStagingFolder() throws {
        let fixture = try RestoreFixture(bigFileBytes: 0)
        let outside = fixture.folder.subpath("outside")
        try fixture.folder.write("outside/victim", "precious")
        let destination = fixture.folder.subpath("dest")
        try fixture.folder.write("dest/node/data/previous.txt", "the previous data")
        let before = snapshotOfTree(destination)
        let template = fixture.artifactPath + ".json"
        let script = Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/hostile_tarball.py").path
        let cases: [(String, String)] = [
            ("absolute", "is absolute"), ("dotdot", "climbs out"), ("symlink", "a symbolic link to an absolute path"),
            ("relative-symlink", "leads out of the destination"), ("hardlink", "hard link target is absolute"), ("device", "is a character device"),
        ]
        for (index, (name, reason)) in cases.enumerated() {
            let height = RestoreFixture.height + 100 + index
            let made = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), [
                "python3", script, name, "--outside", outside, "--template", template, "--height", String(height),
                "--store", fixture.stores + "/mainnet", "--key", fixture.folder.subpath("keys/shots.key"),
            ])
            XCTAssertEqual(made.status, 0, made.stderr)
            let run = try fixture.restore(fixture.origin + "/store/mainnet/tezos-mainnet-rolling-tarball-\(height).lz4", into: destination)
            XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("error: tar entry \"") && run.stderr.contains(reason), "\(name): \(run.stderr)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), ["victim"], name)
            XCTAssertEqual(try String(contentsOfFile: outside + "/victim", encoding: .utf8), "precious", name)
            XCTAssertEqual(snapshotOfTree(destination), before, name)
            XCTAssertEqual(stagingLeftovers(destination), [], name)
        }
    }

    /// A `.rolling` snapshot is downloaded and verified like a tarball, then imported by the node
    /// binary (a stand-in following octez-node's CLI) with the block hash checked, into node/data.
    func testARollingSnapshotIsImportedByTheNode() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try folder.write("data/node/data/stand-in-head.json", #"{"hash": "\#(TezosDataDir.blockHash)", "level": 5000000, "timestamp": "2024-06-20T10:00:00Z"}"#)
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        try folder.write("block/BLOCK_HEIGHT", "5000000")
        try folder.write("block/BLOCK_HASH", TezosDataDir.blockHash)
        try folder.write("block/BLOCK_TIMESTAMP", "2024-06-20T10:00:00Z")
        let standIn = Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/octez-node-stand-in.py").path
        let port = try freeLoopbackPort()
        let stores = folder.subpath("stores")
        let published = try FolderStores(root: stores).publish(data.root, [
            "--profile", "tezos-rolling-snapshot", "--network", "mainnet", "--block-info-dir", folder.subpath("block"), "--node-bin", standIn,
            "--node-version", folder.subpath("version.json"), "--preview", "http://127.0.0.1:\(port)", "--signing-key", folder.subpath("keys/shots.key"),
        ])
        XCTAssertEqual(published.status, 0, published.stderr)
        let server = try ListeningProcess([Shots.binary.path, "serve", "--site", FolderStores.site, "--site-store", stores + "/site",
                                           "--store", stores + "/{network}", "--port", String(port)], port: port)
        let destination = folder.subpath("var-tezos")
        try folder.write("var-tezos/node/data/identity.json", "{\"peer_id\": \"mine\"}")
        try folder.write("var-tezos/node/data/config.json", "{\"network\": \"ghostnet\"}")
        let run = try Shots.run(["restore", server.origin + "/store/mainnet/rolling", destination, "--public-key", folder.subpath("keys/shots.pub"),
                                 "--node-bin", standIn])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("importing mainnet-5000000.rolling"), run.stderr)
        let head = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: destination + "/node/data/stand-in-head.json")))
        XCTAssertEqual(head["hash"], .string(TezosDataDir.blockHash))
        XCTAssertTrue(FileManager.default.fileExists(atPath: destination + "/node/data/context/store.bin"))
        XCTAssertEqual(try String(contentsOfFile: destination + "/node/data/identity.json", encoding: .utf8), "{\"peer_id\": \"mine\"}")
        XCTAssertEqual(try String(contentsOfFile: destination + "/node/data/config.json", encoding: .utf8), "{\"network\": \"ghostnet\"}",
                       "the node's configuration (its network) went into the import and stays")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: destination), ["node"], "no snapshot file or staging folder left")
    }

    /// A Polkadot snapshot restores into the chain folder: its database, never a keystore or network key.
    func testAPolkadotSnapshotRestoresIntoTheChainFolder() throws {
        let folder = try TemporaryFolder()
        let chain = "dot/chains/polkadot"
        var generator = SeededBytes(seed: 3)
        try Data(generator.bytes(2_000_000)).write(to: URL(fileURLWithPath: try folder.write(chain + "/db/full/000001.sst", "")))
        try folder.write(chain + "/db/full/MANIFEST-000001", String(repeating: "manifest ", count: 1_000))
        try folder.write(chain + "/keystore/6772616e0123", "\"secret seed\"")
        try folder.write(chain + "/network/secret_ed25519", "node key")
        try folder.write("polkadot-version.txt", "polkadot 1.11.0-0bb6249268c\n")
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let site = Shots.packageRoot.path + "/site/polkashots"
        let stores = folder.subpath("stores")
        let published = try Shots.run([
            "publish", folder.subpath("dot"), "--site", site, "--store", stores + "/{network}", "--site-store", stores + "/site",
            "--profile", "polkadot", "--signing-key", folder.subpath("keys/shots.key"), "--base-url", "https://polkadot.polkashots.io",
            "--block-height", "21000000", "--block-hash", "0x" + String(repeating: "ab", count: 32), "--pruning", "1000",
            "--node-version", folder.subpath("polkadot-version.txt"),
        ])
        XCTAssertEqual(published.status, 0, published.stderr)
        let port = try freeLoopbackPort()
        let server = try ListeningProcess([Shots.binary.path, "serve", "--site", site, "--site-store", stores + "/site",
                                           "--store", stores + "/{network}", "--port", String(port)], port: port)
        let destination = folder.subpath("polkadot-base/chains/polkadot")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try folder.write("polkadot-base/chains/polkadot/keystore/mine", "\"my own seed\"")
        let run = try Shots.run(["restore", server.origin + "/store/polkadot/polkadot-21000000.rocksdb.tar.lz4", destination,
                                 "--public-key", folder.subpath("keys/shots.pub")])
        XCTAssertEqual(run.status, 0, run.stderr)
        var restored = snapshotOfTree(destination)
        XCTAssertEqual(restored.removeValue(forKey: "keystore/mine")?.contents, Data("\"my own seed\"".utf8), "the operator's keystore kept")
        restored.removeValue(forKey: "keystore")
        let expected = snapshotOfTree(folder.subpath(chain)).filter { !$0.key.hasPrefix("keystore") && !$0.key.hasPrefix("network") }
        XCTAssertEqual(restored, expected)
    }
}

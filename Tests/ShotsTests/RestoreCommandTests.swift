import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots restore` and `shots verify` as a node operator runs them, against the real `shots serve`
/// on loopback: a good restore, damaged and wrongly signed artifacts, and trust.
final class RestoreCommandTests: XCTestCase {
    /// Restoring the permalink over a node's old data: the tree is the packed one, the node's
    /// identity survives (a tarball never carries it) and so does a --keep path, the old contents
    /// are gone, and nothing of the run is left.
    func testARestoreGivesThePackedTreeAndKeepsTheNodesIdentity() throws {
        let fixture = try RestoreFixture()
        let destination = fixture.folder.subpath("var-tezos")
        try fixture.folder.write("var-tezos/node/data/identity.json", "{\"peer_id\": \"mine\"}")
        try fixture.folder.write("var-tezos/node/data/context/stale.bin", "old context")
        try fixture.folder.write("var-tezos/old-top-level.txt", "old")
        try fixture.folder.write("var-tezos/node/data/config.json", "the operator's own config")

        let run = try fixture.restore(fixture.permalink, into: destination, ["--keep", "node/data/config.json", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try jsonSummary(run)
        XCTAssertEqual(summary["restored"], .string(fixture.filename), "the permalink was followed to the artifact")
        XCTAssertEqual(summary["resumptions"], .integer(0))
        guard case .string(let signer)? = summary["signed_by"] else { return XCTFail("no signer in \(run.stdout)") }
        let keyFile = try String(contentsOfFile: fixture.publicKey, encoding: .utf8)
        XCTAssertTrue(keyFile.hasPrefix("untrusted comment: minisign public key \(signer)\n"), "the id minisign's own key file shows: \(signer)")

        var restored = snapshotOfTree(destination)
        XCTAssertEqual(restored.removeValue(forKey: "node/data/identity.json")?.contents, Data("{\"peer_id\": \"mine\"}".utf8), "the node's identity kept")
        XCTAssertEqual(restored.removeValue(forKey: "node/data/config.json")?.contents, Data("the operator's own config".utf8), "--keep")
        var expected = fixture.expectedTree()
        expected.removeValue(forKey: "node/data/config.json")
        XCTAssertEqual(Set(restored.keys), Set(expected.keys), "exactly the packed tree, the old contents gone")
        for (path, entry) in expected { XCTAssertEqual(restored[path], entry, path) }
        XCTAssertEqual(stagingLeftovers(destination), [])

        // Each range asks for the version the first answer named; serve, as S3, refuses another.
        let otherVersion = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                                                   "-H", "If-Match: \"another\"", "-r", "0-9", fixture.artifactURL])
        XCTAssertEqual(otherVersion.stdout, "412")

        // The same artifact verified by URL and as a file, with its companions beside it.
        let byURL = try Shots.run(["verify", fixture.permalink, "--public-key", fixture.publicKey])
        XCTAssertEqual(byURL.status, 0, byURL.stderr)
        XCTAssertTrue(byURL.stdout.hasPrefix("verified \(fixture.filename): "), byURL.stdout)
        XCTAssertTrue(byURL.stdout.contains("signed by key \(signer)"), byURL.stdout)
        let byFile = try Shots.run(["verify", fixture.artifactPath, "--public-key", fixture.publicKey])
        XCTAssertEqual(byFile.status, 0, byFile.stderr)
        XCTAssertEqual(byFile.stdout.split(separator: "\n").count, 1, "one line says what was verified")
    }

    /// One flipped byte in the stored artifact: the restore fails and DEST holds exactly what it
    /// held; verify names the mismatch.
    func testOneFlippedByteFailsAndLeavesTheDestinationUntouched() throws {
        let fixture = try RestoreFixture()
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: fixture.artifactPath))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size * 2 / 3)
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: size * 2 / 3)
        handle.write(Data([byte ^ 0x01]))
        try handle.close()
        let destination = fixture.folder.subpath("dest")
        try fixture.folder.write("dest/node/data/context/previous.bin", "the previous, working data")
        let before = snapshotOfTree(destination)

        for connections in ["1", "4"] {
            let run = try fixture.restore(fixture.artifactURL, into: destination, ["--connections", connections])
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertEqual(run.errorLines.count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("error: "), run.stderr)
            XCTAssertTrue(run.stderr.contains("does not match") || run.stderr.contains("LZ4") || run.stderr.contains("checksum"), run.stderr)
            XCTAssertEqual(snapshotOfTree(destination), before, "DEST is exactly as it was")
            XCTAssertEqual(stagingLeftovers(destination), [])
        }
        let verify = try Shots.run(["verify", fixture.artifactURL, "--public-key", fixture.publicKey])
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("does not match the signed"), verify.stderr)
    }

    /// Another publisher's key, a changed trusted comment and a changed checksum file are each
    /// refused before anything is downloaded into DEST.
    func testAWrongKeyOrATamperedSignatureIsRefused() throws {
        let fixture = try RestoreFixture(bigFileBytes: 0)
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", fixture.folder.subpath("other")]).status, 0)
        let destination = fixture.folder.subpath("dest")
        let wrongKey = try fixture.restore(fixture.artifactURL, into: destination, ["--public-key", fixture.folder.subpath("other/shots.pub")])
        XCTAssertEqual(wrongKey.status, 1)
        XCTAssertTrue(wrongKey.stderr.contains("which is not a trusted key"), wrongKey.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination), "refused before DEST was made")

        // Both keys trusted (a rotation): the artifact's signer is among them.
        let rotated = try fixture.restore(fixture.artifactURL, into: destination,
                                          ["--public-key", fixture.folder.subpath("other/shots.pub"), "--public-key", fixture.publicKey])
        XCTAssertEqual(rotated.status, 0, rotated.stderr)

        // A companion changed after signing (its text still well-formed), then put back.
        let tampering = [(".sha256.minisig", "trusted comment: timestamp:", "trusted comment: timestamp:9", "the trusted comment's signature does not match"),
                         (".sha256", "  ", " *", "the signature does not match the signed file")]
        for (suffix, old, new, expected) in tampering {
            let path = fixture.artifactPath + suffix
            let original = try String(contentsOfFile: path, encoding: .utf8)
            try original.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
            let run = try Shots.run(["verify", fixture.artifactURL, "--public-key", fixture.publicKey])
            XCTAssertEqual(run.status, 1)
            XCTAssertTrue(run.stderr.contains(expected), run.stderr)
            try original.write(toFile: path, atomically: true, encoding: .utf8)
        }

        let unsigned = try Shots.run(["verify", fixture.artifactURL])
        XCTAssertEqual(unsigned.status, 1)
        XCTAssertTrue(unsigned.stderr.contains("no trusted key") && unsigned.stderr.contains("--public-key"), unsigned.stderr)
    }

    /// The signed catalog: verified with the site's key, refused once older than --max-age, and
    /// refused with a key that did not sign it.
    func testTheSignedCatalogIsCheckedForItsSignerAndItsAge() throws {
        let fixture = try RestoreFixture(bigFileBytes: 0)
        let catalog = fixture.origin + "/tezos-snapshots.json"
        let good = try Shots.run(["verify", catalog, "--public-key", fixture.publicKey])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stdout.contains("1 artifacts, signed by key"), good.stdout)

        Thread.sleep(forTimeInterval: 2.1)
        let stale = try Shots.run(["verify", catalog, "--public-key", fixture.publicKey, "--max-age", "1s"])
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("older than the 1 s allowed (--max-age)"), stale.stderr)

        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", fixture.folder.subpath("other")]).status, 0)
        let wrong = try Shots.run(["verify", catalog, "--public-key", fixture.folder.subpath("other/shots.pub")])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("which is not a trusted key"), wrong.stderr)
    }

    /// Publishing with a key other than the one site.yml shows warns: clients trusting the site's
    /// key would refuse everything the run signs. With the site's own key, no warning.
    func testPublishingWithAKeyTheSiteDoesNotShowWarns() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let run = try FolderStores(root: folder.subpath("stores")).publish(data.root, [
            "--profile", "tezos-rolling", "--network", "mainnet", "--block-height", "5000000", "--block-hash", TezosDataDir.blockHash,
            "--block-timestamp", "2024-06-20T10:00:00Z", "--node-version", folder.subpath("version.json"),
            "--signing-key", folder.subpath("keys/shots.key"),
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: site.yml's signing_public_key is key FBBE4308C7F87345, but this run signs with key "), run.stderr)
        let fixture = try RestoreFixture(bigFileBytes: 0)
        try RestoreFixture.publish(fixture.data.root, folder: fixture.folder, stores: fixture.stores, height: 5_000_001, origin: fixture.origin)
    }

    /// Chosen from the site's signed catalog as the tezos-k8s chart chooses, with the key the site
    /// publishes, and a warning that the key came from the host that serves the artifact.
    func testChoosingFromTheSitesCatalogWithTheSitesKey() throws {
        let fixture = try RestoreFixture(bigFileBytes: 0)
        let destination = fixture.folder.subpath("dest")
        let run = try Shots.run(["restore", fixture.origin, destination, "--network", "mainnet", "--history-mode", "rolling", "--octez-major", "20"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("chose \(fixture.filename) (block \(RestoreFixture.height))"), run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: the public key was read from 127.0.0.1:\(fixture.server.port), which also serves the artifact"), run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: destination + "/node/data/config.json"))

        let none = try Shots.run(["restore", fixture.origin, destination, "--network", "ghostnet"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("lists no ghostnet rolling tarball artifact"), none.stderr)
    }
}

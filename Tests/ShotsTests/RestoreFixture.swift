import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// A signed rolling tarball of the Tezos fixture published into folder stores and served by the
/// real `shots serve` on loopback, as a node operator finds it: the artifact, its companions, the
/// permalink, the signed catalog and the site's public key.
final class RestoreFixture {
    let folder: TemporaryFolder
    let data: TezosDataDir
    let server: ListeningProcess
    let stores: String
    static let height = 5_000_000
    var filename: String { "tezos-mainnet-rolling-tarball-\(Self.height).lz4" }
    var origin: String { server.origin }
    var permalink: String { origin + "/store/mainnet/rolling-tarball" }
    var artifactURL: String { origin + "/store/mainnet/" + filename }
    var artifactPath: String { stores + "/mainnet/" + filename }
    var publicKey: String { folder.subpath("keys/shots.pub") }
    /// The site folder: the embedded default's, with the fixture's public key in its site.yml.
    var site: String { folder.subpath("site") }

    /// `bigFileBytes` of incompressible data make the artifact span several 4 MiB download chunks.
    init(bigFileBytes: Int = 10_000_000) throws {
        folder = try TemporaryFolder()
        data = try TezosDataDir(in: folder)
        // A link out of the tree is packed as a link, but a restore refuses it (HostileRestoreTests).
        unlink(data.root + "/node/data/store/outside")
        var generator = SeededBytes(seed: 7)
        try Data(generator.bytes(bigFileBytes)).write(to: URL(fileURLWithPath: data.root + "/node/data/store/cycles/big.bin"))
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let key = try String(contentsOfFile: folder.subpath("keys/shots.pub"), encoding: .utf8).split(separator: "\n")[1]
        let copy = try shell("cp -r '\(FolderStores.site)' '\(folder.subpath("site"))' && sed -i 's|^signing_public_key: .*|signing_public_key: \(key)|' '\(folder.subpath("site/site.yml"))'")
        XCTAssertEqual(copy.status, 0, copy.stderr)
        let port = try freeLoopbackPort()
        stores = folder.subpath("stores")
        try Self.publish(data.root, folder: folder, stores: stores, height: Self.height, origin: "http://127.0.0.1:\(port)")
        server = try ListeningProcess([Shots.binary.path, "serve", "--site", folder.subpath("site"), "--site-store", stores + "/site",
                                       "--store", stores + "/{network}", "--port", String(port)], port: port)
    }

    /// Publishes `dataDir` at `height` into the stores, signed with the fixture's key.
    static func publish(_ dataDir: String, folder: TemporaryFolder, stores: String, height: Int, origin: String,
                        profile: String = "tezos-rolling") throws {
        try folder.write("block-\(height)/BLOCK_HEIGHT", String(height))
        try folder.write("block-\(height)/BLOCK_HASH", TezosDataDir.blockHash)
        try folder.write("block-\(height)/BLOCK_TIMESTAMP", "2024-06-20T10:00:00Z")
        let run = try Shots.run([
            "publish", dataDir, "--profile", profile, "--network", "mainnet", "--block-info-dir", folder.subpath("block-\(height)"),
            "--node-version", folder.subpath("version.json"), "--preview", origin, "--signing-key", folder.subpath("keys/shots.key"),
            "--site", folder.subpath("site"), "--store", stores + "/{network}", "--site-store", stores + "/site",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("warning: site.yml's signing_public_key"), "the fixture's site shows its key")
    }

    /// `shots restore` with the fixture's key unless `arguments` name another trust.
    func restore(_ source: String, into destination: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> ProgramRun {
        let trust = arguments.contains { ["--public-key", "--site", "--checksum-only"].contains($0) } ? [] : ["--public-key", publicKey]
        return try Shots.run(["restore", source, destination] + trust + arguments, environment: environment)
    }

    /// What the fixture's data dir holds, less what pack leaves out: what a restore must produce.
    func expectedTree() -> [String: TreeEntry] {
        TreeEntry.tree(data.root).filter { path, _ in
            !TezosDataDir.secrets.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
    }
}

/// A folder's tree with contents, to tell "untouched" from "changed".
func snapshotOfTree(_ root: String) -> [String: TreeEntry] { TreeEntry.tree(root) }

/// Entries of `root` a failed restore may have left (its staging folders).
func stagingLeftovers(_ root: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix(".shots-restore-") }
}

/// The JSON summary a `--json` run printed.
func jsonSummary(_ run: ProgramRun) throws -> JSONValue { try JSONParser.parse(Data(run.stdout.utf8)) }

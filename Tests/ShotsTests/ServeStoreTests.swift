import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots serve` against what is, and is not, in its folder stores: networks without an artifact,
/// a network published while it serves, an empty object, store folders that are not there.
extension ServeCommandTests {
    /// /health is 200 only when every network of site.yml has an artifact; a network published
    /// while the server runs is seen at the next request, as a monitor polling it would see it.
    func testHealthIsOKOnlyWhenEveryNetworkHasAnArtifact() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        let before = try curl(server.origin + "/health")
        XCTAssertEqual(before.status, 503, "ghostnet's store has no artifact yet")
        let networks = try Self.networks(before.body)
        XCTAssertEqual(networks["ghostnet"]?["status"], .string("no artifact"), "\(networks)")
        XCTAssertEqual(networks["mainnet"]?["status"], .string("ok"), "\(networks)")
        try folder.write("block/BLOCK_HEIGHT", "5000100")
        let run = try FolderStores(root: stores).publish(folder.subpath("data"), [
            "--profile", "tezos-rolling", "--network", "ghostnet", "--block-info-dir", folder.subpath("block"),
            "--node-version", folder.subpath("version.json"), "--preview", server.origin,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let after = try curl(server.origin + "/health")
        XCTAssertEqual(after.status, 200, String(decoding: after.body, as: UTF8.self))
        let ghostnet = try XCTUnwrap(try Self.networks(after.body)["ghostnet"])
        XCTAssertEqual(ghostnet["newest_block_time"], .string("2024-06-20T10:00:00Z"))
        guard case .integer(let age)? = ghostnet["age_seconds"] else { return XCTFail("no age: \(ghostnet)") }
        XCTAssertGreaterThan(age, 86_400)
    }

    /// An empty object is answered (it once stopped the server), and stores that are not folders
    /// stop `serve` before it listens, naming the flag and the folder.
    func testAnEmptyObjectAndStoreFoldersThatAreNotThere() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        try Data().write(to: URL(fileURLWithPath: stores + "/site/empty.txt"))
        let empty = try curl(server.origin + "/empty.txt")
        XCTAssertEqual(empty.status, 200)
        XCTAssertEqual(empty.headers["content-length"], "0")
        XCTAssertEqual(empty.body, Data())
        let range = try curl(server.origin + "/empty.txt", ["-r", "0-"])
        XCTAssertEqual(range.status, 416)
        XCTAssertEqual(range.headers["content-range"], "bytes */0")
        XCTAssertEqual(try curl(server.origin + "/").status, 200, "still serving")
        XCTAssertFalse(server.hasExited)

        let cases: [(arguments: [String], expected: String)] = [
            (["--site-store", stores + "/site", "--store", folder.subpath("nowhere/{network}")], "--store: \(folder.subpath("nowhere/ghostnet")): expected a folder store, found nothing"),
            (["--site-store", stores + "/site/index.html", "--store", stores + "/{network}"], "--site-store: \(stores)/site/index.html: expected a folder store, found a file"),
            (["--site-store", stores + "/site", "--store", stores + "/mainnet"], "--store: \(stores)/mainnet has no {network}"),
        ]
        for (arguments, expected) in cases {
            // timeout: a check that let the server start would otherwise hold the test.
            let run = try runProgram(URL(fileURLWithPath: "/usr/bin/timeout"), ["10", Shots.binary.path, "serve", "--site", FolderStores.site, "--port", "0"] + arguments)
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertEqual(run.errorLines.count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(expected), run.stderr)
        }

        // SIGTERM while a slow download is in flight: the server ends on its own, well before the
        // SIGKILL that stop() sends after 5 s.
        let download = Process()
        download.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        download.arguments = ["-s", "-L", "--limit-rate", "20k", "-o", "/dev/null", server.origin + "/store/mainnet/rolling-tarball"]
        try download.run()
        defer { download.terminate() }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(server.output.contains("GET /store/mainnet/tezos-mainnet-rolling-tarball-5000000.lz4 200"), server.output)
        let stopping = Date()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(stopping), 4, "SIGTERM ends the server promptly")
    }

    /// /health's networks by id.
    private static func networks(_ body: Data) throws -> [String: JSONValue] {
        guard case .array(let entries)? = try JSONParser.parse(body)["networks"] else { throw HarnessError("no networks in \(String(decoding: body, as: UTF8.self))") }
        var byID: [String: JSONValue] = [:]
        for entry in entries { if case .string(let id)? = entry["network"] { byID[id] = entry } }
        return byID
    }
}

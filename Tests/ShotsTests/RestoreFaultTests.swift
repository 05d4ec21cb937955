import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots restore` through the fault proxy in front of `shots serve`: connections cut midway, a
/// permalink that moves during the download, a host that ignores ranges, and a disk too small.
final class RestoreFaultTests: XCTestCase {
    /// The proxy's log entries for the artifact itself, in order.
    private func artifactRequests(_ proxy: FaultProxy, _ fixture: RestoreFixture) throws -> [[String: Any]] {
        try proxy.log().filter { ($0["path"] as? String)?.hasSuffix("/" + fixture.filename) == true }
    }

    private func range(_ entry: [String: Any]) -> String? { (entry["headers"] as? [String: Any])?["range"] as? String }

    /// Cut at 30% and at 90% of one stream, and midway through one of four parallel ranges: each
    /// time the restore resumes from the byte the cut reached (nothing fetched twice), verifies the
    /// whole artifact and succeeds.
    func testACutConnectionResumesFromTheByteItReached() throws {
        let fixture = try RestoreFixture()
        let proxy = try FaultProxy(targetPort: fixture.server.port)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: fixture.artifactPath)[.size] as? Int)
        XCTAssertGreaterThan(size, 3 * (4 << 20) / 2, "the artifact spans several 4 MiB chunks")
        let url = proxy.endpoint + "/store/mainnet/" + fixture.filename
        for (fraction, connections) in [(0.3, "1"), (0.9, "1"), (0.3, "4")] {
            let cutRequestOffset = connections == "1" ? Int(Double(size) * fraction) : 1_000_000
            // Request 1 is the probe of the first byte; 2 is the stream, or one of the ranges.
            try proxy.setRules(#"[{"path": "\\.lz4$", "nth": [2], "action": "cut-response", "offset": \#(cutRequestOffset)}]"#)
            let earlier = try artifactRequests(proxy, fixture).count
            let destination = fixture.folder.subpath("dest-\(fraction)-\(connections)")
            let run = try fixture.restore(url, into: destination, ["--connections", connections, "--json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let summary = try jsonSummary(run)
            XCTAssertEqual(summary["resumptions"], .integer(1), run.stdout)
            XCTAssertEqual(summary["refetched_bytes"], .integer(0), "a resumed range starts where the cut one stopped")
            XCTAssertTrue(run.stderr.contains("connection lost at byte"), run.stderr)

            let requests = Array(try artifactRequests(proxy, fixture).dropFirst(earlier))
            let cut = try XCTUnwrap(requests.firstIndex { $0["action"] as? String == "cut-response" }, "\(requests)")
            XCTAssertEqual(requests[cut]["response_bytes"] as? Int, cutRequestOffset)
            let cutRange = try XCTUnwrap(range(requests[cut]).flatMap(Self.bounds))
            let resumedStart = cutRange.lowerBound + cutRequestOffset
            let resumed = requests.dropFirst(cut + 1).compactMap { range($0).flatMap(Self.bounds) }
            XCTAssertTrue(resumed.contains(resumedStart...cutRange.upperBound), "resumed at \(resumedStart): \(resumed)")
            XCTAssertEqual(snapshotOfTree(destination), fixture.expectedTree())
        }
    }

    /// The permalink moves to a newer artifact while the old one downloads: the restore keeps to
    /// the artifact it pinned and finishes consistent.
    func testAPermalinkMovingMidDownloadDoesNotMixArtifacts() throws {
        let fixture = try RestoreFixture()
        let proxy = try FaultProxy(targetPort: fixture.server.port)
        try proxy.setRules(#"[{"path": "\\.lz4$", "action": "throttle", "rate": 3000000}]"#)
        let destination = fixture.folder.subpath("dest")
        let restore = try BackgroundShots(["restore", proxy.endpoint + "/store/mainnet/rolling-tarball", destination,
                                            "--public-key", fixture.publicKey, "--json", "--connections", "2"])
        Thread.sleep(forTimeInterval: 1)
        try fixture.folder.write("data/node/data/context/newer.bin", "a newer block's context")
        try RestoreFixture.publish(fixture.data.root, folder: fixture.folder, stores: fixture.stores, height: RestoreFixture.height + 1,
                                   origin: fixture.origin)
        XCTAssertTrue(try FolderStores(root: fixture.stores).redirect("rolling-tarball")?.hasSuffix("-\(RestoreFixture.height + 1).lz4") == true,
                      "the permalink moved while the restore ran")
        let run = restore.wait()
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try jsonSummary(run)["restored"], .string(fixture.filename), "the pinned artifact, not the newer one")
        XCTAssertEqual(snapshotOfTree(destination), fixture.expectedTree().filter { $0.key != "node/data/context/newer.bin" })
    }

    /// A host that ignores Range: one stream, said once; a cut connection starts it again and skips
    /// the bytes already taken.
    func testAServerThatIgnoresRangesGetsOneStream() throws {
        let fixture = try RestoreFixture()
        let proxy = try FaultProxy(targetPort: fixture.server.port)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: fixture.artifactPath)[.size] as? Int)
        let cut = size * 2 / 5
        try proxy.setRules(#"""
            [{"path": "\\.lz4$", "nth": [2], "action": "cut-response", "offset": \#(cut)},
             {"path": "\\.lz4$", "action": "strip-header", "header": "range"}]
            """#)
        let destination = fixture.folder.subpath("dest")
        let run = try fixture.restore(proxy.endpoint + "/store/mainnet/" + fixture.filename, into: destination, ["--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr.components(separatedBy: "ignores Range").count - 1, 1, run.stderr)
        let summary = try jsonSummary(run)
        XCTAssertEqual(summary["resumptions"], .integer(1))
        XCTAssertEqual(summary["refetched_bytes"], .integer(Int64(cut)), "the bytes before the cut came twice, and were skipped")
        XCTAssertEqual(snapshotOfTree(destination), fixture.expectedTree())
    }

    /// On a small filesystem (a tmpfs in a mount namespace), a restore that cannot fit is refused
    /// before any download, with the numbers; one that fits only without the old contents says so,
    /// and does with --free-first.
    func testNotEnoughFreeSpaceIsRefusedBeforeAnyDownload() throws {
        let fixture = try RestoreFixture()
        let proxy = try FaultProxy(targetPort: fixture.server.port)
        let url = proxy.endpoint + "/store/mainnet/" + fixture.filename
        let destination = fixture.folder.subpath("small")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        func restoreOnTmpfs(megabytes: Int, oldMegabytes: Int, _ extra: [String]) throws -> ProgramRun {
            let arguments = ([Shots.binary.path, "restore", url, destination, "--public-key", fixture.publicKey] + extra).map { "'\($0)'" }.joined(separator: " ")
            return try runProgram(URL(fileURLWithPath: "/usr/bin/unshare"), ["--map-root-user", "--mount", "sh", "-c", """
                mount -t tmpfs -o size=\(megabytes)m tmpfs '\(destination)' || exit 90
                [ \(oldMegabytes) = 0 ] || head -c \(oldMegabytes)M /dev/urandom > '\(destination)/old.bin'
                \(arguments); status=$?; ls -A '\(destination)'; exit $status
                """])
        }
        let tiny = try restoreOnTmpfs(megabytes: 24, oldMegabytes: 0, [])
        XCTAssertEqual(tiny.status, 1, tiny.stderr)
        XCTAssertTrue(tiny.stderr.contains("not enough free space (") && tiny.stderr.contains("needed, 24.0 MiB free"), tiny.stderr)
        XCTAssertEqual(tiny.errorLines.count, 1, tiny.stderr)
        XCTAssertEqual(tiny.stdout, "", "DEST left empty, no staging folder")

        let crowded = try restoreOnTmpfs(megabytes: 40, oldMegabytes: 14, [])
        XCTAssertEqual(crowded.status, 1, crowded.stderr)
        XCTAssertTrue(crowded.stderr.contains("it fits with --free-first"), crowded.stderr)
        XCTAssertEqual(crowded.stdout, "old.bin\n", "the old contents stay")
        let ranges = try artifactRequests(proxy, fixture).compactMap(range)
        XCTAssertEqual(Set(ranges), ["bytes=0-0"], "nothing but the first-byte probes was downloaded")

        let freed = try restoreOnTmpfs(megabytes: 40, oldMegabytes: 14, ["--free-first"])
        XCTAssertEqual(freed.status, 0, freed.stderr)
        XCTAssertEqual(freed.stdout.split(separator: "\n").filter { !$0.hasPrefix("restored ") }, ["node"], "the old contents gave way")
    }

    /// "bytes=A-B" as A...B.
    static func bounds(_ header: String) -> ClosedRange<Int>? {
        let parts = header.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let start = parts[0], let end = parts[1] else { return nil }
        return start...end
    }
}

import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots schedule` as an operator uses it, and killed with SIGKILL mid-write.
final class ScheduleCommandTests: XCTestCase {
    private func schedule(_ file: String, _ arguments: [String]) throws -> ProgramRun {
        try Shots.run(["schedule"] + arguments + ["--schedule", file])
    }

    /// The ids `list --json` shows, page after page.
    private func listedRequests(_ file: String) throws -> [JSONValue] {
        let run = try schedule(file, ["list", "--json", "--limit", "1000"])
        XCTAssertEqual(run.status, 0, run.stderr)
        guard case .array(let requests)? = try JSONParser.parse(Data(run.stdout.utf8))["snapshot_requests"] else { throw HarnessError("no list: \(run.stdout)") }
        return requests
    }

    func testAddListStatusAndCancel() throws {
        let folder = try TemporaryFolder()
        let file = folder.subpath("state/schedule.json")
        let once = try schedule(file, ["add", "--at", "120", "--description", "before the upgrade"])
        XCTAssertEqual(once.status, 0, once.stderr)
        XCTAssertEqual(once.stdout, "added request 0: once at block 120, next at 120 (before the upgrade)\n")
        let every = try schedule(file, ["add", "--every", "10", "--start", "100", "--end", "150", "--json"])
        XCTAssertEqual(try JSONParser.parse(Data(every.stdout.utf8)),
                       try JSONParser.parse(Data(#"{"snapshot_request_id": 1, "block_spacing": 10, "start_block_num": 100, "end_block_num": 150, "snapshot_description": ""}"#.utf8)))

        let duplicate = try schedule(file, ["add", "--every", "10", "--start", "100", "--end", "150"])
        XCTAssertEqual(duplicate.status, 1)
        XCTAssertEqual(duplicate.errorLines, ["error: request: duplicate of request 1 (same block_spacing, start_block_num and end_block_num)"])
        let backwards = try schedule(file, ["add", "--every", "10", "--start", "200", "--end", "150"])
        XCTAssertEqual(backwards.errorLines, ["error: end_block_num: 150 is before start_block_num 200"])

        let page = try schedule(file, ["list", "--json", "--limit", "1"])
        XCTAssertEqual(try JSONParser.parse(Data(page.stdout.utf8))["next_request_id"], .integer(1))
        XCTAssertEqual(try listedRequests(file).count, 2)

        let status = try schedule(file, ["status", "1"])
        XCTAssertEqual(status.stdout, "request 1: every 10 blocks from block 100 to block 150, next at 100\n")
        XCTAssertEqual(try schedule(file, ["cancel", "1"]).stdout, "cancelled request 1: every 10 blocks from block 100 to block 150, next at 100\n")
        let gone = try schedule(file, ["status", "1"])
        XCTAssertEqual(gone.status, 1)
        XCTAssertEqual(gone.errorLines, ["error: snapshot_request_id: no request 1 and no snapshot asked for by it"])
        XCTAssertEqual(try schedule(file, ["cancel", "7"]).errorLines, ["error: snapshot_request_id: no scheduled request 7"])
    }

    /// `schedule add` killed with SIGKILL at random moments, and two adders at once: the file always
    /// reads back, every add that said so is there, and no id or request is there twice.
    func testKilledAndConcurrentAddsNeverCorruptOrDuplicate() throws {
        let folder = try TemporaryFolder()
        let file = folder.subpath("schedule.json")
        var confirmed: Set<Int64> = []
        var generator = SystemRandomNumberGenerator()
        for spacing in 1...30 {
            let adder = try BackgroundShots(["schedule", "add", "--every", String(spacing), "--start", "1000", "--schedule", file])
            usleep(UInt32.random(in: 0...40_000, using: &generator))
            let run = adder.kill(SIGKILL)
            if run.status == 0, let id = run.stdout.split(separator: " ").dropFirst(2).first.flatMap({ Int64($0.dropLast()) }) { confirmed.insert(id) }
        }
        let adders = try (0..<2).map { worker in
            try BackgroundShots(["-c", (1...10).map { "\(Shots.binary.path) schedule add --every \(100 + worker * 10 + $0) --schedule \(file) || exit 1" }.joined(separator: "; ")],
                                program: "/bin/sh")
        }
        for adder in adders { XCTAssertEqual(adder.wait().status, 0) }

        let requests = try listedRequests(file)
        let ids = requests.compactMap { if case .integer(let id)? = $0["snapshot_request_id"] { id } else { nil } }
        let spacings = requests.compactMap { if case .integer(let spacing)? = $0["block_spacing"] { spacing } else { nil } }
        XCTAssertEqual(Set(ids).count, ids.count, "no id twice: \(ids)")
        XCTAssertEqual(Set(spacings).count, spacings.count, "no request twice: \(spacings)")
        XCTAssertTrue(confirmed.isSubset(of: Set(ids)), "every confirmed add is there: \(confirmed) in \(ids)")
        XCTAssertEqual(spacings.filter { $0 >= 100 }.count, 20, "both concurrent adders' requests")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }, [])
    }
}

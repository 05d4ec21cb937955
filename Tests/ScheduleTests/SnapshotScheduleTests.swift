import Infrastructure
import Foundation
import Testing
import TestSupport
@testable import Schedule

/// The scheduling design's rules, with a head the test moves one block at a time.
struct SnapshotScheduleTests {
    /// Moves the head from `from` to `to`, starting (and finishing) a snapshot whenever one is due;
    /// returns the requested heights, in order.
    private func follow(_ schedule: inout SnapshotSchedule, from: Int64, to: Int64) -> [Int64] {
        var fired: [Int64] = []
        for head in from...to {
            schedule.fixStarts(atHead: head)
            guard let due = schedule.due(atHead: head) else { continue }
            schedule.started(ScheduledSnapshot(requests: due.requests, requestedHeight: due.height, headBlockID: "B\(head)", headHeight: head,
                                               headTime: "2026-12-04T00:00:00Z", skippedHeights: due.skipped), atHead: head)
            schedule.finished(state: .done, artifact: "snap-\(head)", capturedHeight: head, error: nil)
            fired.append(due.height)
        }
        return fired
    }

    @Test("every 10 from 100 to 150 fires at exactly 100, 110, ..., 150, each once, then leaves the schedule")
    func recurring() throws {
        var schedule = SnapshotSchedule()
        let request = try schedule.add(spacing: 10, start: 100, end: 150, description: "")
        #expect(follow(&schedule, from: 0, to: 200) == [100, 110, 120, 130, 140, 150])
        #expect(schedule.requests.isEmpty)
        #expect(schedule.snapshots(of: request.id).map(\.artifact) == (0...5).map { "snap-\(100 + $0 * 10)" })
    }

    @Test("stopped at 125 and read back from its document, the schedule goes on with neither duplicates nor gaps")
    func restart() throws {
        var schedule = SnapshotSchedule()
        _ = try schedule.add(spacing: 10, start: 100, end: 150, description: "")
        let before = follow(&schedule, from: 0, to: 125)
        var reread = try ScheduleDocument.decode(ScheduleDocument.encode(schedule), origin: "schedule.json")
        #expect(reread == schedule)
        let after = follow(&reread, from: 126, to: 160)
        #expect(before + after == [100, 110, 120, 130, 140, 150])
    }

    @Test("after a restart with the head past a height, the request fires aligned to its start, not at the head (Leap issue 1152)")
    func alignedAfterRestart() throws {
        var schedule = SnapshotSchedule()
        _ = try schedule.add(spacing: 10, start: 100, end: nil, description: "")
        _ = follow(&schedule, from: 95, to: 121)  // fired 100, 110, 120; then the daemon is down
        let fired = follow(&schedule, from: 137, to: 151)
        #expect(fired == [130, 140, 150])
        #expect(schedule.history[3].skippedHeights == [], "130 was the only height passed")
        _ = follow(&schedule, from: 175, to: 175)
        #expect(schedule.history.last?.requestedHeight == 170)
        #expect(schedule.history.last?.skippedHeights == [160])
    }

    @Test("requests landing on one block share one snapshot that lists them all")
    func coalesced() throws {
        var schedule = SnapshotSchedule()
        let every = try schedule.add(spacing: 10, start: 100, end: 130, description: "")
        let once = try schedule.add(spacing: 0, start: 120, end: nil, description: "upgrade")
        #expect(follow(&schedule, from: 90, to: 140) == [100, 110, 120, 130])
        let shared = schedule.history.filter { $0.requestedHeight == 120 }
        #expect(shared.count == 1)
        #expect(shared.first?.requests == [every.id, once.id])
        #expect(!schedule.requests.contains { $0.id == once.id }, "a one-shot request leaves the schedule once done")
        #expect(schedule.snapshots(of: once.id).count == 1, "its snapshot stays queryable")
    }

    @Test("no start means the first head seen; a duplicate and impossible requests are refused, naming the field")
    func rules() throws {
        var schedule = SnapshotSchedule()
        let soon = try schedule.add(spacing: 5, start: nil, end: nil, description: "")
        #expect(follow(&schedule, from: 42, to: 52) == [42, 47, 52])
        #expect(schedule.requests.first?.id == soon.id)
        let duplicate = #expect(throws: Problem.self) { try schedule.add(spacing: 5, start: 42, end: nil, description: "again") }
        #expect(duplicate?.reason == "duplicate of request \(soon.id) (same block_spacing, start_block_num and end_block_num)")
        let bad: [(Int64, Int64?, Int64?, String)] = [(-1, nil, nil, "block_spacing"), (10, -5, nil, "start_block_num"),
                                                      (10, 200, 100, "end_block_num"), (0, 100, 200, "end_block_num")]
        for (spacing, start, end, field) in bad {
            let problem = #expect(throws: Problem.self) { try schedule.add(spacing: spacing, start: start, end: end, description: "") }
            #expect(problem?.origin == field)
        }
        let unknown = #expect(throws: Problem.self) { try schedule.cancel(99) }
        #expect(unknown?.reason == "no scheduled request 99")
        #expect(try schedule.cancel(soon.id).id == soon.id)
        #expect(schedule.requests.isEmpty)
        #expect(schedule.snapshots(of: soon.id).count == 3, "a cancelled request's snapshots stay listed")
    }

    @Test("a head far past the next height lists the last 100 skipped ones; a height past Int64's largest ends the request instead of trapping")
    func extremes() throws {
        var schedule = SnapshotSchedule()
        _ = try schedule.add(spacing: 1, start: 0, end: nil, description: "")
        let due = try #require(schedule.due(atHead: 5_000_000))
        #expect(due.height == 5_000_000)
        #expect(due.skipped == Array(4_999_900..<5_000_000))
        var last = SnapshotSchedule()
        _ = try last.add(spacing: 10, start: Int64.max - 5, end: nil, description: "")
        #expect(follow(&last, from: Int64.max - 6, to: Int64.max - 1) == [Int64.max - 5])
        #expect(last.requests.isEmpty)
    }

    @Test("a damaged schedule file is refused naming the file and the field")
    func damaged() {
        let problem = #expect(throws: Problem.self) {
            try ScheduleDocument.decode(Data(#"{"next_snapshot_request_id": 1, "requests": [{"snapshot_request_id": "x"}], "snapshots": []}"#.utf8), origin: "s.json")
        }
        #expect(problem?.description == "s.json: requests[0].snapshot_request_id: expected an integer, found a string")
    }
}

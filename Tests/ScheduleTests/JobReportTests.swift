import Infrastructure
import Foundation
import Testing
import TestSupport
@testable import Schedule

@Suite("the job's report and the schedule's file")
struct JobReportTests {
    @Test("a report reads back; a wrong one is refused naming the field; none is nil")
    func report() throws {
        let folder = try TemporaryFolder()
        let path = folder.subpath("report.json")
        #expect(try JobReport.read(path) == nil)
        let written = JobReport(artifact: "tezos-mainnet-rolling-tarball-5000000.lz4", network: "mainnet", capturedHeight: 5_000_000, uploadedBytes: 123)
        try written.encoded().write(to: URL(fileURLWithPath: path))
        #expect(try JobReport.read(path) == written)
        try Data(#"{"artifact": "x.lz4"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try JobReport.read(path) == JobReport(artifact: "x.lz4"))
        let bad: [(String, String)] = [
            (#"{"captured_block_num": -1}"#, "$SHOTS_JOB_REPORT captured_block_num"),
            (#"{"uploaded_bytes": "12"}"#, "$SHOTS_JOB_REPORT uploaded_bytes"),
            (#"{"artifact": "a\nb"}"#, "$SHOTS_JOB_REPORT artifact"),
            (#"{"network": "\#(String(repeating: "n", count: 256))"}"#, "$SHOTS_JOB_REPORT network"),
            ("[1]", "$SHOTS_JOB_REPORT"),
            ("{", "$SHOTS_JOB_REPORT"),
            (#"{"artifact": ""#, "$SHOTS_JOB_REPORT"),
        ]
        for (text, origin) in bad {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let problem = #expect(throws: Problem.self) { try JobReport.read(path) }
            #expect(problem?.origin == origin, "\(text): \(problem?.description ?? "")")
        }
        try Data(count: 65 << 10).write(to: URL(fileURLWithPath: path))
        #expect(throws: Problem.self) { try JobReport.read(path) }
    }

    @Test("an update that changes nothing leaves the file as it was; a failed one writes nothing")
    func unchangedNotWritten() throws {
        let folder = try TemporaryFolder()
        let store = ScheduleStore(path: folder.subpath("schedule.json"))
        try store.update { (schedule: inout SnapshotSchedule) throws(Problem) in _ = try schedule.add(spacing: 10, start: 100, end: nil, description: "") }
        // Hand-formatted: the same schedule in other bytes.
        let original = try String(contentsOfFile: store.path, encoding: .utf8)
        let handMade = original.replacingOccurrences(of: "\n", with: "\n\n")
        try handMade.write(toFile: store.path, atomically: true, encoding: .utf8)
        try store.update { (_: inout SnapshotSchedule) throws(Problem) in }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == handMade)
        #expect(throws: Problem.self) {
            try store.update { (schedule: inout SnapshotSchedule) throws(Problem) in _ = try schedule.add(spacing: 10, start: 100, end: nil, description: "") }
        }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == handMade)
        let missing = ScheduleStore(path: folder.subpath("none.json"))
        _ = try missing.read()
        try missing.update { (_: inout SnapshotSchedule) throws(Problem) in }
        #expect(!FileManager.default.fileExists(atPath: missing.path), "nothing to keep, no file")
    }
}

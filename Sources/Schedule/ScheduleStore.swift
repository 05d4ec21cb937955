import Infrastructure
import Foundation

/// The schedule kept in one JSON file, changed under a lock and replaced whole (a temporary file,
/// flushed, renamed): a process killed at any moment leaves the old schedule or the new one, never
/// half of one, and two processes take turns instead of losing each other's requests.
public struct ScheduleStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The schedule as it is on disk (empty when the file does not exist yet).
    public func read() throws(Problem) -> SnapshotSchedule {
        guard FileManager.default.fileExists(atPath: path) else { return SnapshotSchedule() }
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(origin: path, reason: "cannot read the schedule") }
        return try ScheduleDocument.decode(data, origin: path)
    }

    /// Reads, changes and writes the schedule under the lock; `change`'s result is returned once the
    /// new schedule is on disk. A schedule `change` left as it was is not written again (the daemon
    /// looks at it every poll).
    public func update<Result>(_ change: (inout SnapshotSchedule) throws(Problem) -> Result) throws(Problem) -> Result {
        let lock = try FileLock(beside: path)
        defer { withExtendedLifetime(lock) {} }
        let before = try read()
        var schedule = before
        let result = try change(&schedule)
        if schedule != before { try AtomicFile.write(ScheduleDocument.encode(schedule), to: path) }
        return result
    }
}

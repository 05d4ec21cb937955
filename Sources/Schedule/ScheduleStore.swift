import Infrastructure
import Foundation

/// The schedule kept in one JSON file, changed under a lock and replaced whole (a temporary file,
/// flushed, renamed): a process killed at any moment leaves the old schedule or the new one, never
/// half of one, and two processes take turns instead of losing each other's requests.
public struct ScheduleStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The schedule as it is on disk (empty when the file does not exist yet).
    public func read() throws(Problem) -> SnapshotSchedule { try readWithBytes().schedule }

    private func readWithBytes() throws(Problem) -> (schedule: SnapshotSchedule, bytes: Data?) {
        guard FileManager.default.fileExists(atPath: path) else { return (SnapshotSchedule(), nil) }
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(origin: path, reason: "cannot read the schedule") }
        return (try ScheduleDocument.decode(data, origin: path), data)
    }

    /// Reads, changes and writes the schedule under the lock; `change`'s result is returned once the
    /// new schedule is on disk. A schedule `change` left as it was is not written again (the daemon
    /// looks at it every poll).
    public func update<Result>(_ change: (inout SnapshotSchedule) throws(Problem) -> Result) throws(Problem) -> Result {
        let lock = try FileLock(beside: path)
        defer { withExtendedLifetime(lock) {} }
        var (schedule, before) = try readWithBytes()
        let result = try change(&schedule)
        let after = ScheduleDocument.encode(schedule)
        if after != before { try AtomicFile.write(after, to: path) }
        return result
    }
}

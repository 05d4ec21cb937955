import Foundation

/// The job's process group. Foundation starts each child in a group of its own (its id is the
/// child's pid), so signalling the group reaches the job's shell and every program it started,
/// whether or not the job `exec`s, and the daemon can wait for all of them to finish cleaning up.
struct ProcessGroup {
    let id: pid_t

    func signal(_ signal: Int32) { kill(-id, signal) }

    /// Whether a process of the group still runs (zombies left for the container's init to reap
    /// do not count), from each process's /proc/PID/stat.
    var isRunning: Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        return entries.contains { entry in
            Int32(entry) != nil && FileManager.default.contents(atPath: "/proc/\(entry)/stat").map { Self.isRunning(stat: $0, inGroup: id) } == true
        }
    }

    /// Reads one /proc/PID/stat line: "pid (comm) state ppid pgrp ...". The command name is raw
    /// bytes and may hold spaces and parentheses, so the fields start after the last ")".
    static func isRunning(stat: Data, inGroup group: pid_t) -> Bool {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return false }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
        return fields.count > 2 && fields[0] != "Z" && fields[0] != "X" && pid_t(fields[2]) == group
    }

    /// Waits until no process of the group runs; after `seconds`, kills what is left.
    func waitUntilEmpty(seconds: Double, log: (String) -> Void) {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning, Date() < deadline { usleep(50_000) }
        guard isRunning else { return }
        log("the job's programs still run \(Int(seconds)) s after SIGTERM: killed")
        signal(SIGKILL)
        for _ in 0..<100 where isRunning { usleep(50_000) }
    }
}

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
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            // After "pid (comm) ": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && fields[0] != "X" && Int32(fields[2]) == id
        }
    }

    /// Waits until no process of the group runs.
    func waitUntilEmpty() {
        while isRunning { usleep(50_000) }
    }
}

import Foundation

/// An exclusive lock on a file's read-merge-write, held until released (or the process ends):
/// `flock` on a hidden lock file beside it (`.base.json.lock`), since the file itself is replaced
/// by rename and a lock on its old inode would guard nothing. Two `merge --into` of one base.json
/// take turns instead of losing each other's work, and the one that holds the lock removes what a
/// killed one left (its `.base.json.partial-*`).
public final class FileLock {
    private let descriptor: Int32

    /// Waits until the lock on `path` is free, then takes it (creating `path`'s folder if needed);
    /// `waiting` hears once when another process holds it.
    public init(beside path: String, waiting: (String) -> Void = { _ in }) throws(Problem) {
        let folder = PathText.parent(path).isEmpty ? "." : PathText.parent(path)
        let lockPath = folder + "/." + PathText.name(path) + ".lock"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)  // as the write will
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Problem(origin: lockPath, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting("waiting for another shots process writing \(path)")
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(descriptor)
                    throw Problem(origin: lockPath, reason: "cannot lock: \(String(cString: strerror(errno)))")
                }
            }
        }
        // Holding the lock, no other writer is at work: temporaries beside the file are a killed one's.
        if let output = try? OutputFolder(path: folder) { output.removeLeftoverTemporaries(of: PathText.name(path)) }
    }

    deinit { close(descriptor) }  // closing releases the lock
}

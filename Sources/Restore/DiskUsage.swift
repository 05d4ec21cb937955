import Foundation

/// Bytes a file or tree takes on disk (allocated blocks), symbolic links not followed.
enum DiskUsage {
    static func bytes(of path: String) -> Int64 {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        var total = Int64(status.st_blocks) * 512
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { total += bytes(of: path + "/" + name) }
        }
        return total
    }
}

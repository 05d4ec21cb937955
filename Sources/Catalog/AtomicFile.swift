import Foundation

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// a new temporary file in the same folder (created exclusively, so nothing planted there is
/// followed), flushed to disk, renamed over the target, and the folder flushed too.
public enum AtomicFile {
    /// `durable: false` skips the flushes, for files that are checked when read back (a cache).
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws(Problem) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        if (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw Problem(origin: path, reason: "cannot create its folder \(folder)")
        }
        let file = try StagedFile(finalPath: path)
        try file.write(data)  // on failure the staged file removes itself
        try file.commit(durable: durable)
        guard durable else { return }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

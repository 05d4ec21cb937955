import Foundation

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// through `OutputFolder.write` in the file's folder (a new temporary file created exclusively, so
/// nothing planted there is followed, flushed to disk, renamed over the target, the folder flushed).
public enum AtomicFile {
    /// `durable: false` skips the flushes, for files that are checked when read back (a cache).
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws(Problem) {
        let folder = PathText.parent(path)
        let name = PathText.name(path)
        guard OutputFolder.isSafe(name) else { throw Problem(origin: path, reason: "expected a file name at the end of the path") }
        try OutputFolder(path: folder.isEmpty ? "." : folder).write(data, to: name, durable: durable)
    }
}

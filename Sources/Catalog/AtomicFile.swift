import Foundation

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// a new temporary file in the same folder (created exclusively, so nothing planted there is
/// followed), flushed to disk, renamed over the target, and the folder flushed too.
public enum AtomicFile {
    /// `durable: false` skips the flushes, for files that are checked when read back (a cache).
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws(Problem) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        func problem(_ doing: String) -> Problem {
            Problem(origin: path, reason: "cannot \(doing): \(MetadataFile.systemProblem(errno))")
        }
        if (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw Problem(origin: path, reason: "cannot create its folder \(folder)")
        }
        var template = Array("\(folder)/.\((path as NSString).lastPathComponent).XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw problem("create a temporary file beside it") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = 0
        let complete = data.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let count = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return true
        }
        var failure: Problem? = !complete ? problem("write it") : nil
        if failure == nil, fchmod(descriptor, 0o644) != 0 || (durable && fsync(descriptor) != 0) { failure = problem("flush it to disk") }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = problem("replace it") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard durable else { return }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

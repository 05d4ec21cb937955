import Foundation

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// a temporary file in the same folder, flushed to disk, then renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(InputProblem) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid()).tmp")
        func problem(_ doing: String) -> InputProblem {
            InputProblem(origin: path, reason: "cannot \(doing): \(MetadataFile.systemProblem(errno))")
        }
        if !folder.isEmpty, (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw InputProblem(origin: path, reason: "cannot create its folder \(folder)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw problem("create a temporary file beside it") }
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
        let failure: InputProblem? = !complete ? problem("write it") : fsync(descriptor) != 0 ? problem("flush it to disk") : nil
        close(descriptor)
        if failure == nil, rename(temporary, path) == 0 { return }
        let error = failure ?? problem("replace it")
        unlink(temporary)
        throw error
    }
}

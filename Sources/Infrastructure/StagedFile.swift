import Foundation

/// A file written as a hidden temporary beside its final path (`.<name>.partial-XXXXXX`), which only
/// `commit` renames into place. Until then nothing under the final name changes; `discard` removes
/// the temporary, or the committed file if the run fails later.
public final class StagedFile {
    public let finalPath: String
    public let temporaryPath: String
    private var descriptor: Int32
    private var committed = false
    private var size: Int64 = 0
    private var flushedUpTo: Int64 = 0
    private static let writebackStep: Int64 = 64 << 20

    public init(finalPath: String, mode: mode_t = 0o644) throws(Problem) {
        self.finalPath = finalPath
        let url = URL(fileURLWithPath: finalPath)
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).partial-XXXXXX".utf8CString)
        descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw Problem(origin: folder, reason: "cannot create a file in this folder: \(String(cString: strerror(errno)))")
        }
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        InterruptCleanup.register(temporaryPath)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // never inherited by the node binary
        fchmod(descriptor, mode)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        var written = 0
        while written < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw Problem(origin: finalPath, reason: "cannot write: \(String(cString: strerror(count < 0 ? errno : ENOSPC)))")
            }
            written += count
        }
        size += Int64(bytes.count)
        if size - flushedUpTo >= Self.writebackStep {
            // Start writing what is already complete to disk now (and let it leave the page
            // cache), so the flush at the end waits for the last few megabytes, not for gigabytes.
            _ = posix_fadvise(descriptor, off_t(flushedUpTo), off_t(size - flushedUpTo), POSIX_FADV_DONTNEED)
            flushedUpTo = size
        }
    }

    public func write(_ data: Data) throws(Problem) {
        let outcome = data.withUnsafeBytes { bytes in Result { () throws(Problem) in try write(bytes) } }
        try outcome.get()
    }

    /// Flushes the contents to disk (unless not `durable`: a file checked when read back, or one
    /// a later flushed file vouches for): a file renamed into place must not turn out empty after a crash.
    public func close(durable: Bool = true) throws(Problem) {
        guard descriptor >= 0 else { return }
        defer { Foundation.close(descriptor); descriptor = -1 }
        guard !durable || fsync(descriptor) == 0 else {
            throw Problem(origin: finalPath, reason: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Moves the file at `path` (same file system) in as the contents, flushed like written ones.
    public func replaceContents(with path: String) throws(Problem) {
        if descriptor >= 0 { Foundation.close(descriptor); descriptor = -1 }
        guard rename(path, temporaryPath) == 0 else {
            throw Problem(origin: path, reason: "cannot move to \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        let flushed = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        defer { if flushed >= 0 { Foundation.close(flushed) } }
        guard flushed >= 0, fsync(flushed) == 0 else {
            throw Problem(origin: finalPath, reason: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    public func commit(durable: Bool = true) throws(Problem) {
        try close(durable: durable)
        guard rename(temporaryPath, finalPath) == 0 else {
            throw Problem(origin: finalPath, reason: "cannot move into place: \(String(cString: strerror(errno)))")
        }
        InterruptCleanup.forget(temporaryPath)
        committed = true
    }

    public func discard() {
        if descriptor >= 0 { Foundation.close(descriptor); descriptor = -1 }
        unlink(committed ? finalPath : temporaryPath)
        InterruptCleanup.forget(temporaryPath)
    }

    deinit {
        if !committed { discard() }
    }
}

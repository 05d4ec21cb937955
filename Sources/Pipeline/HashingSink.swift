import Catalog
import Infrastructure
import Crypto
import Foundation

/// Passes bytes on to a sink (if any), hashing (SHA-256) and counting them on the way.
public final class HashingSink {
    private let sink: ArtifactSink?
    private var hasher = SHA256()
    public private(set) var count: Int64 = 0

    public init(_ sink: ArtifactSink?) { self.sink = sink }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        hasher.update(bufferPointer: bytes)
        try sink?.write(bytes)
        count += Int64(bytes.count)
    }

    public func hexDigest() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Streams the file at `path` through, in 4 MiB reads, with progress; returns its size.
    /// `what` names the file in errors ("the export", "the artifact").
    public func copy(file path: String, what: String, progress: PackProgress) throws(Problem) -> Int64 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(origin: path, reason: "cannot open \(what): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        fstat(descriptor, &status)
        progress.start(total: Int64(status.st_size))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Problem(origin: path, reason: "cannot read \(what): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            try write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            total += Int64(count)
            progress.update(done: total, output: total)
        }
        progress.finish(done: total, output: total)
        return total
    }
}

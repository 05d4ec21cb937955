import Infrastructure
import Foundation

/// The downloaded bytes in order, counted as they pass to whoever reads them, and checked at the
/// end against what the signed evidence says: the verdict needs no second read, and no copy of the
/// artifact on disk. (The download hashes them on its own thread.)
final class VerifiedStream: @unchecked Sendable {
    private let download: ChunkedDownload
    private let lock = NSLock()
    private var read: Int64 = 0
    /// Called with the bytes read so far after each chunk (progress).
    var onChunk: @Sendable (Int64) -> Void = { _ in }

    init(_ download: ChunkedDownload) { self.download = download }

    var count: Int64 { lock.withLock { read } }

    /// The next bytes, or nil at the end.
    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        guard let chunk = try download.next() else { return nil }
        let total = lock.withLock {
            read += Int64(chunk.count)
            return read
        }
        onChunk(total)
        return chunk
    }

    /// Reads what is left (the tar end blocks and padding a reader stops before), then checks the
    /// size and the hash.
    func finish(expected: ArtifactEvidence.Expectation, origin: String) throws(Problem) {
        while try next() != nil {}
        guard count == expected.size else {
            throw Problem(origin: origin, reason: "\(count) bytes downloaded, the metadata says \(expected.size)")
        }
        guard let digest = download.digest, digest == expected.sha256 else {
            throw Problem(origin: origin, reason: "sha256 \(download.digest ?? "?") does not match the signed \(expected.sha256): the download is damaged or was tampered with")
        }
    }
}

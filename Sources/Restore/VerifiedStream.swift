import Infrastructure
import Crypto
import Foundation

/// The downloaded bytes in order, hashed (SHA-256) and counted as they pass to whoever reads them:
/// the verdict needs no second read, and no copy of the artifact on disk.
final class VerifiedStream {
    private let download: ChunkedDownload
    private var hasher = SHA256()
    private(set) var count: Int64 = 0
    /// Called with the bytes read so far after each chunk (progress).
    var onChunk: (Int64) -> Void = { _ in }

    init(_ download: ChunkedDownload) { self.download = download }

    /// The next bytes, or nil at the end.
    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        guard let chunk = try download.next() else { return nil }
        hasher.update(bufferPointer: chunk)
        count += Int64(chunk.count)
        onChunk(count)
        return chunk
    }

    /// Reads what is left (the tar end blocks and padding a reader stops before), then checks the
    /// size and the hash against what the signed evidence says.
    func finish(expected: ArtifactEvidence.Expectation, origin: String) throws(Problem) {
        while try next() != nil {}
        guard count == expected.size else {
            throw Problem(origin: origin, reason: "\(count) bytes downloaded, the metadata says \(expected.size)")
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard digest == expected.sha256 else {
            throw Problem(origin: origin, reason: "sha256 \(digest) does not match the signed \(expected.sha256): the download is damaged or was tampered with")
        }
    }
}

import Catalog
import Crypto

/// Passes bytes on to a sink (if any), hashing (SHA-256) and counting them on the way.
final class HashingSink {
    private let sink: ArtifactSink?
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(_ sink: ArtifactSink?) { self.sink = sink }

    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        hasher.update(bufferPointer: bytes)
        try sink?.write(bytes)
        count += Int64(bytes.count)
    }

    func hexDigest() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

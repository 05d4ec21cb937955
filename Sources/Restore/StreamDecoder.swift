import Catalog
import Infrastructure

/// Decodes a compressed stream, pulling compressed bytes from its source as it needs them.
protocol StreamDecoder: AnyObject {
    /// The next decoded bytes (valid until the next call), or nil at the end of the stream.
    func next() throws(Problem) -> UnsafeRawBufferPointer?
}

/// The decoder of a tarball's compression, as its metadata names it.
func streamDecoder(for compression: Compression, origin: String,
                   source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) -> StreamDecoder {
    switch compression {
    case .lz4: LZ4Decoder(origin: origin, source: source)
    case .zstd: ZstdDecoder(origin: origin, source: source)
    }
}

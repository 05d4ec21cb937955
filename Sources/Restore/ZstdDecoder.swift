import CZstd
import Infrastructure

/// Decodes a zstd stream (one frame or many, as `zstd -d` reads them), pulling compressed bytes
/// from `source` as it needs them. Each frame's content checksum, when it has one, is checked.
final class ZstdDecoder: StreamDecoder {
    private let source: () throws(Problem) -> UnsafeRawBufferPointer?
    private let origin: String
    private let context: OpaquePointer?
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
    private var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    /// libzstd's hint after the last call: 0 when a frame just ended.
    private var hint = 1
    private var sawFrame = false
    /// The last call filled the output: libzstd may hold more decoded bytes of the input it took.
    private var outputWasFull = false
    private var ended = false

    init(origin: String, source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) {
        self.origin = origin
        self.source = source
        context = ZSTD_createDStream()
    }

    deinit {
        ZSTD_freeDStream(context)
        output.deallocate()
    }

    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        guard context != nil else { throw Problem(origin: origin, reason: "cannot start the zstd decoder: out of memory") }
        while !ended {
            if input.pos == input.size, !outputWasFull {
                guard let more = try source() else {
                    ended = true
                    guard sawFrame, hint == 0 else {
                        throw Problem(origin: origin, reason: sawFrame ? "the zstd stream ends in the middle of a frame (truncated)" : "empty: no zstd frame")
                    }
                    return nil
                }
                input = ZSTD_inBuffer(src: more.baseAddress, size: more.count, pos: 0)
                continue
            }
            var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let result = ZSTD_decompressStream(context, &out, &input)
            if ZSTD_isError(result) != 0 {
                throw Problem(origin: origin, reason: "not a valid zstd stream: \(String(cString: ZSTD_getErrorName(result)))")
            }
            sawFrame = true
            hint = result
            // A frame that ended as the output filled holds nothing more (asking again would start
            // the next frame with no input, and make a whole stream look cut).
            outputWasFull = out.pos == out.size && result != 0
            if out.pos > 0 { return UnsafeRawBufferPointer(start: output.baseAddress, count: out.pos) }
        }
        return nil
    }
}

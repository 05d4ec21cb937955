import CLZ4
import Infrastructure
import Foundation

/// Decodes an LZ4 stream (one frame or many, as `lz4 -d` reads them), pulling compressed bytes
/// from `source` as it needs them. Each frame's content checksum, when it has one, is checked.
final class LZ4Decoder: StreamDecoder {
    private let source: () throws(Problem) -> UnsafeRawBufferPointer?
    private let origin: String
    private var context: OpaquePointer?
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
    private var input = UnsafeRawBufferPointer(start: nil, count: 0)
    /// liblz4's hint after the last call: 0 when a frame just ended.
    private var hint = 1
    private var sawFrame = false
    /// The last call filled the output: liblz4 may hold more decoded bytes of the input it took.
    private var outputWasFull = false
    private var ended = false

    init(origin: String, source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) {
        self.origin = origin
        self.source = source
        var context: OpaquePointer?
        LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        self.context = context
    }

    deinit {
        LZ4F_freeDecompressionContext(context)
        output.deallocate()
    }

    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        while !ended {
            if input.isEmpty, !outputWasFull {
                guard let more = try source() else {
                    ended = true
                    guard sawFrame, hint == 0 else {
                        throw Problem(origin: origin, reason: sawFrame ? "the LZ4 stream ends in the middle of a frame (truncated)" : "empty: no LZ4 frame")
                    }
                    return nil
                }
                input = more
                continue
            }
            var produced = output.count
            var consumed = input.count
            let result = LZ4F_decompress(context, output.baseAddress, &produced, input.baseAddress, &consumed, nil)
            if LZ4F_isError(result) != 0 {
                throw Problem(origin: origin, reason: "not a valid LZ4 stream: \(String(cString: LZ4F_getErrorName(result)))")
            }
            sawFrame = true
            hint = result
            // A frame that ended as the output filled holds nothing more (liblz4 would wait for the next).
            outputWasFull = produced == output.count && result != 0
            input = consumed == input.count ? UnsafeRawBufferPointer(start: nil, count: 0) : UnsafeRawBufferPointer(rebasing: input[consumed...])
            if produced > 0 { return UnsafeRawBufferPointer(start: output.baseAddress, count: produced) }
        }
        return nil
    }
}

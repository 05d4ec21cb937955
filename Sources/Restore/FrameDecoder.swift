import Catalog
import Infrastructure

/// One compression format's streaming decoder, one call at a time: what `FrameDecoder` drives.
protocol FrameFormat: AnyObject {
    /// How messages name the format: `LZ4`, `zstd`.
    var name: String { get }
    /// Decodes what it can of `input` into `output`: the bytes it took and gave, and the library's
    /// hint (0 once a frame has ended and nothing of it is held back); or the library's error.
    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Result<(consumed: Int, produced: Int, hint: Int), FrameFormatError>
}

struct FrameFormatError: Error {
    let message: String
}

/// Decodes a compressed stream of one frame or many (as `lz4 -d` and `zstd -d` read them), pulling
/// compressed bytes from `source` as it needs them. Each frame's content checksum, when it has
/// one, is checked by the library; a stream that stops inside a frame is named truncated.
final class FrameDecoder {
    private let format: FrameFormat
    private let source: () throws(Problem) -> UnsafeRawBufferPointer?
    private let origin: String
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
    private var input = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The library's hint after the last call: 0 when a frame just ended.
    private var hint = 1
    private var sawFrame = false
    /// The last call filled the output: the library may hold more decoded bytes of the input it took.
    private var outputWasFull = false
    private var ended = false

    /// The decoder of a tarball's compression, as its metadata names it.
    init(_ compression: Compression, origin: String, source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) {
        format = switch compression {
        case .lz4: LZ4FrameFormat()
        case .zstd: ZstdFrameFormat()
        }
        self.origin = origin
        self.source = source
    }

    deinit { output.deallocate() }

    /// The next decoded bytes (valid until the next call), or nil at the end of the stream.
    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        while !ended {
            if input.isEmpty, !outputWasFull {
                guard let more = try source() else {
                    ended = true
                    guard sawFrame, hint == 0 else {
                        throw Problem(origin: origin, reason: sawFrame ? "the \(format.name) stream ends in the middle of a frame (truncated)" : "empty: no \(format.name) frame")
                    }
                    return nil
                }
                input = more
                continue
            }
            let step: (consumed: Int, produced: Int, hint: Int)
            switch format.step(input, into: output) {
            case .success(let result): step = result
            case .failure(let error): throw Problem(origin: origin, reason: "not a valid \(format.name) stream: \(error.message)")
            }
            sawFrame = true
            hint = step.hint
            // A frame that ended as the output filled holds nothing more: asking again would start
            // the next frame with no input (liblz4 would wait, libzstd would make a whole stream
            // look cut).
            outputWasFull = step.produced == output.count && step.hint != 0
            input = step.consumed == input.count ? UnsafeRawBufferPointer(start: nil, count: 0) : UnsafeRawBufferPointer(rebasing: input[step.consumed...])
            if step.produced > 0 { return UnsafeRawBufferPointer(start: output.baseAddress, count: step.produced) }
        }
        return nil
    }
}

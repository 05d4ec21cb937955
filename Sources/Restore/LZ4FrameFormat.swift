import CLZ4

/// liblz4's frame decoder.
final class LZ4FrameFormat: FrameFormat {
    let name = "LZ4"
    private var context: OpaquePointer?

    init() { LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION)) }

    deinit { LZ4F_freeDecompressionContext(context) }

    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Result<(consumed: Int, produced: Int, hint: Int), FrameFormatError> {
        guard context != nil else { return .failure(FrameFormatError(message: "cannot start the decoder: out of memory")) }
        var produced = output.count
        var consumed = input.count
        let hint = LZ4F_decompress(context, output.baseAddress, &produced, input.baseAddress, &consumed, nil)
        guard LZ4F_isError(hint) == 0 else { return .failure(FrameFormatError(message: String(cString: LZ4F_getErrorName(hint)))) }
        return .success((consumed, produced, hint))
    }
}

import CZstd

/// libzstd's streaming decoder.
final class ZstdFrameFormat: FrameFormat {
    let name = "zstd"
    private let context = ZSTD_createDStream()

    deinit { ZSTD_freeDStream(context) }

    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Result<(consumed: Int, produced: Int, hint: Int), FrameFormatError> {
        guard context != nil else { return .failure(FrameFormatError(message: "cannot start the decoder: out of memory")) }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(context, &target, &source)
        guard ZSTD_isError(hint) == 0 else { return .failure(FrameFormatError(message: String(cString: ZSTD_getErrorName(hint)))) }
        return .success((source.pos, target.pos, hint))
    }
}

import CLZ4
import CZstd
import Catalog
import Infrastructure

/// Compresses one chunk of a stream at a time into one complete, independent frame of its
/// format, for one of `FrameStream`'s jobs. Both formats' stock decoders (`lz4 -d`, `zstd -d`) read
/// concatenated frames as one stream, and each frame carries a content checksum. zstd's context
/// (a few MiB of tables) is made once and reused for every chunk.
final class FrameCodec {
    let compression: Compression
    private let zstdContext: OpaquePointer?

    init(_ compression: Compression) {
        self.compression = compression
        zstdContext = compression == .zstd ? ZSTD_createCCtx() : nil
        if let zstdContext {
            ZSTD_CCtx_setParameter(zstdContext, ZSTD_c_compressionLevel, Self.zstdLevel)
            ZSTD_CCtx_setParameter(zstdContext, ZSTD_c_checksumFlag, 1)
        }
    }

    deinit { ZSTD_freeCCtx(zstdContext) }

    /// The largest frame a chunk of `chunkSize` bytes can become.
    static func bound(_ compression: Compression, chunkSize: Int) -> Int {
        switch compression {
        case .lz4:
            var preferences = lz4Preferences
            return LZ4F_compressFrameBound(chunkSize, &preferences)
        case .zstd:
            return ZSTD_compressBound(chunkSize)
        }
    }

    /// One 4 MiB independent block with a content checksum, at the lz4 CLI's default (fast) level.
    private static let lz4Preferences: LZ4F_preferences_t = {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.compressionLevel = 0
        return preferences
    }()

    /// The zstd CLI's default level.
    static let zstdLevel: Int32 = 3

    /// Compresses `input` into `output` (at least `bound` bytes); the frame's size, or why not.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Result<Int, Problem> {
        switch compression {
        case .lz4:
            var preferences = Self.lz4Preferences
            let size = LZ4F_compressFrame(output.baseAddress, output.count, input.baseAddress, input.count, &preferences)
            guard LZ4F_isError(size) == 0 else { return .failure(failure(String(cString: LZ4F_getErrorName(size)))) }
            return .success(size)
        case .zstd:
            guard let zstdContext else { return .failure(failure("out of memory")) }
            // A whole frame per call: the context starts each one afresh (parameters kept).
            let size = ZSTD_compress2(zstdContext, output.baseAddress, output.count, input.baseAddress, input.count)
            guard ZSTD_isError(size) == 0 else { return .failure(failure(String(cString: ZSTD_getErrorName(size)))) }
            return .success(size)
        }
    }

    private func failure(_ reason: String) -> Problem {
        Problem(origin: "\(compression.rawValue) frame", reason: "compression failed: \(reason)")
    }
}

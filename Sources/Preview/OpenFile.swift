import Foundation
import Hummingbird
import NIOCore

/// An object's file, open for one response and closed when the response is done with it (or
/// never sent): streamed in chunks, so a large artifact never sits in memory.
final class OpenFile: @unchecked Sendable {
    private let descriptor: Int32
    let size: Int64
    static let chunk = 256 * 1024

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
        var status = stat()
        size = fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
    }

    deinit { close(descriptor) }

    /// For a page read whole (the `--watch` script is added to it).
    var descriptorForPage: Int32 { descriptor }

    func send(from start: Int64, count: Int64, to writer: inout any ResponseBodyWriter) async throws {
        var offset = start
        let end = start + count
        // One buffer, filled again in place once the channel has let go of it (a new one is
        // allocated only while the last is still queued).
        var buffer = ByteBufferAllocator().buffer(capacity: Int(min(Int64(Self.chunk), count)))
        while offset < end {
            let wanted = Int(min(Int64(Self.chunk), end - offset))
            buffer.clear()
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer in
                max(0, pread(descriptor, pointer.baseAddress, wanted, off_t(offset)))
            }
            guard read > 0 else { throw CancellationError() }  // the file shrank under us: end the response
            offset += Int64(read)
            try await writer.write(buffer)
        }
    }
}

import Catalog
import Infrastructure
import Foundation

/// Compresses a byte stream into LZ4 or zstd frames on every core, and hands the frames on in order.
///
/// The input is cut into fixed 4 MiB chunks and each chunk becomes one complete frame with a
/// content checksum (`FrameCodec`), compressed on its own. The stock `lz4 -d` and `zstd -d` read
/// concatenated frames as one stream, and since chunk boundaries depend only on the input, the
/// output bytes never depend on thread timing. At most `inFlight` chunks exist at once, so memory
/// stays flat whatever the input size.
final class FrameStream {
    static let chunkSize = 4 << 20

    /// A chunk on its way through: its input, and its frame once a worker has compressed it with
    /// the job's own codec (one worker at a time uses a job, so its compression context is reused
    /// chunk after chunk, never shared).
    private final class Job: @unchecked Sendable {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: FrameStream.chunkSize, alignment: 64)
        let output: UnsafeMutableRawBufferPointer
        let codec: FrameCodec
        var inputCount = 0
        var result: Result<Int, Problem> = .success(0)
        let done = DispatchSemaphore(value: 0)

        init(_ compression: Compression) {
            codec = FrameCodec(compression)
            output = .allocate(byteCount: FrameCodec.bound(compression, chunkSize: FrameStream.chunkSize), alignment: 64)
        }

        deinit {
            input.deallocate()
            output.deallocate()
        }
    }

    private let deliver: (UnsafeRawBufferPointer) throws(Problem) -> Void
    private let inFlight: Int
    private let compression: Compression
    private var pending: [Job] = []  // submitted, in input order
    private var spare: [Job] = []
    private var current: Job?
    private let workers = DispatchQueue(label: "shots.frames", attributes: .concurrent)
    /// Bytes taken in and handed on so far.
    private(set) var inputBytes: Int64 = 0
    private(set) var outputBytes: Int64 = 0

    /// `deliver` gets each compressed frame in order, on the caller's thread.
    /// At most 8 chunks wait at once whatever the core count: about 64 MiB of buffers.
    init(_ compression: Compression = .lz4, inFlight: Int = min(8, max(2, ProcessInfo.processInfo.activeProcessorCount) * 2),
         deliver: @escaping (UnsafeRawBufferPointer) throws(Problem) -> Void) {
        self.deliver = deliver
        self.inFlight = inFlight
        self.compression = compression
    }

    /// Takes the next bytes of the stream.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        var offset = 0
        while offset < bytes.count {
            let job = try currentJob()
            let count = min(bytes.count - offset, Self.chunkSize - job.inputCount)
            (job.input.baseAddress! + job.inputCount).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            job.inputCount += count
            offset += count
            if job.inputCount == Self.chunkSize { try submit() }
        }
        inputBytes += Int64(bytes.count)
    }

    /// Compresses what is left and hands on every remaining frame.
    func finish() throws(Problem) {
        if current?.inputCount ?? 0 > 0 { try submit() }
        while !pending.isEmpty { try deliverOldest() }
    }

    private func currentJob() throws(Problem) -> Job {
        if let current { return current }
        while pending.count >= inFlight { try deliverOldest() }
        let job = spare.popLast() ?? Job(compression)
        job.inputCount = 0
        current = job
        return job
    }

    private func submit() throws(Problem) {
        guard let job = current else { return }
        current = nil
        pending.append(job)
        workers.async {
            job.result = job.codec.compress(UnsafeRawBufferPointer(rebasing: job.input[..<job.inputCount]), into: job.output)
            job.done.signal()
        }
        // Hand on whatever is already compressed, so frames leave as soon as they can.
        while let oldest = pending.first, oldest.done.wait(timeout: .now()) == .success {
            oldest.done.signal()
            try deliverOldest()
        }
    }

    private func deliverOldest() throws(Problem) {
        let job = pending.removeFirst()
        job.done.wait()
        spare.append(job)
        let count = try job.result.get()
        try deliver(UnsafeRawBufferPointer(rebasing: job.output[..<count]))
        outputBytes += Int64(count)
    }
}

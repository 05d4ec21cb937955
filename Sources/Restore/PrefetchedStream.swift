import Infrastructure
import Foundation

/// A pull source run on a thread of its own, a few buffers ahead of its reader: the decoder
/// works while tar extraction writes, as `lz4 -d | tar -x` do in two processes. Memory stays at
/// `depth` buffers.
final class PrefetchedStream: @unchecked Sendable {
    private let source: () throws(Problem) -> UnsafeRawBufferPointer?
    private let depth: Int
    private let bufferSize: Int
    private let condition = NSCondition()
    private var queue: [(buffer: UnsafeMutableRawBufferPointer, count: Int)] = []
    private var spare: [UnsafeMutableRawBufferPointer] = []
    private var handedOut: UnsafeMutableRawBufferPointer?
    private var finished = false
    private var failure: Problem?
    private var stopped = false
    private var running = false

    init(depth: Int = 4, bufferSize: Int = 4 << 20, source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) {
        self.source = source
        self.depth = depth
        self.bufferSize = bufferSize
    }

    deinit {
        for buffer in queue.map(\.buffer) + spare + [handedOut].compactMap({ $0 }) { buffer.deallocate() }
    }

    func start() {
        running = true
        let thread = Thread { [self] in
            produce()
            condition.withLock {
                running = false
                condition.broadcast()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The next bytes (valid until the next call), or nil at the end; the source's error is thrown here.
    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        if let handedOut { spare.append(handedOut); self.handedOut = nil; condition.broadcast() }
        while queue.isEmpty, !finished, failure == nil { condition.wait() }
        if let failure { throw failure }
        guard !queue.isEmpty else { return nil }
        let (buffer, count) = queue.removeFirst()
        handedOut = buffer
        condition.broadcast()
        return UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)
    }

    /// Stops the thread once its source returns (unblock the source first) and waits for it.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func produce() {
        while true {
            let piece: UnsafeRawBufferPointer?
            do throws(Problem) { piece = try source() } catch {
                condition.withLock {
                    failure = error
                    condition.broadcast()
                }
                return
            }
            guard var bytes = piece else {
                condition.withLock {
                    finished = true
                    condition.broadcast()
                }
                return
            }
            while !bytes.isEmpty {
                condition.lock()
                while queue.count >= depth, !stopped { condition.wait() }
                if stopped { condition.unlock(); return }
                let buffer = spare.popLast() ?? .allocate(byteCount: bufferSize, alignment: 64)
                condition.unlock()
                let count = min(bytes.count, bufferSize)
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: count)
                bytes = UnsafeRawBufferPointer(rebasing: bytes[count...])
                condition.withLock {
                    queue.append((buffer, count))
                    condition.broadcast()
                }
            }
        }
    }
}

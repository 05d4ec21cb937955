import Crypto
import Infrastructure
import Storage
import Foundation

/// Downloads a pinned URL's bytes and hands them on in order, in fixed-size chunks, with memory
/// bounded by a window of chunks whatever the artifact's size.
///
/// With ranges and several connections, each connection fetches whole chunks (`Range: bytes=a-b`)
/// ahead of the reader, at most `window` chunks beyond the one being read. With one connection, or
/// a server that ignores `Range`, one request streams everything. Either way a cut connection is
/// resumed from the byte it reached: with a range when the server honours them, else by asking for
/// the whole body again and skipping what was already taken (counted in `refetchedBytes`). A thread
/// of its own hashes (SHA-256) the chunks in order as they complete, so the reader gets them hashed
/// and the hash costs the reader nothing.
final class ChunkedDownload: @unchecked Sendable {
    struct Settings: Sendable {
        var connections: Int
        var acceptsRanges: Bool
        /// Sent as `If-Match`: the version every request must get.
        var etag: String? = nil
        var chunkSize = 4 << 20
        /// Tries of one request without a single new byte before the download gives up.
        var attempts = 10
        /// Seconds before the first retry; doubled on each failure without progress, up to 8 s
        /// (about a minute in all before giving up).
        var backoff = 0.25
    }

    let url: String
    let size: Int64
    private let settings: Settings
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    /// Filled chunks that the reader has not reached yet, by index.
    private var ready: [Int: UnsafeMutableRawBufferPointer] = [:]
    private var spare: [UnsafeMutableRawBufferPointer] = []
    private var handedOut: UnsafeMutableRawBufferPointer?
    private var nextToRead = 0
    private var nextToHash = 0
    private var nextToClaim = 0
    private var hasher = SHA256()
    /// The SHA-256 (lowercase hex) of every byte, once `next()` has returned nil.
    private(set) var digest: String?
    private var failure: Problem?
    private var stopped = false
    private var running = 0
    /// Bytes taken into chunks; bytes received a second time (a server without ranges, resumed).
    private(set) var receivedBytes: Int64 = 0
    private(set) var refetchedBytes: Int64 = 0
    private(set) var resumptions = 0

    init(url: String, size: Int64, settings: Settings, log: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.size = size
        self.settings = settings
        self.log = log
    }

    deinit {
        for buffer in Array(ready.values) + spare + [handedOut].compactMap({ $0 }) { buffer.deallocate() }
    }

    private var chunkCount: Int { Int((size + Int64(settings.chunkSize) - 1) / Int64(settings.chunkSize)) }
    private var isParallel: Bool { settings.acceptsRanges && settings.connections > 1 }
    /// Chunks allowed ahead of the reader: enough to keep every connection busy.
    private var window: Int { isParallel ? settings.connections * 2 : 3 }

    /// Starts the connections and the hashing.
    func start() {
        let workers = isParallel ? min(settings.connections, max(chunkCount, 1)) : 1
        condition.withLock { running = workers + 1 }
        for index in 0...workers {
            let thread = Thread { [self] in
                if index == workers { hashInOrder() } else { work() }
                condition.withLock {
                    running -= 1
                    condition.broadcast()
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// The next chunk in order (the previous one is given back), or nil once every byte was read.
    func next() throws(Problem) -> UnsafeRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        if let handedOut { spare.append(handedOut); self.handedOut = nil; condition.broadcast() }
        guard nextToRead < chunkCount else {
            if digest == nil { digest = hasher.finalize().map { String(format: "%02x", $0) }.joined() }
            return nil
        }
        while nextToRead >= nextToHash, failure == nil, !stopped { condition.wait() }
        if let failure { throw failure }
        guard nextToRead < nextToHash, let buffer = ready.removeValue(forKey: nextToRead) else {
            throw Problem(origin: URLSecrets.redacted(url), reason: "the download was stopped")
        }
        let count = chunkLength(nextToRead)
        nextToRead += 1
        handedOut = buffer
        condition.broadcast()
        return UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)
    }

    /// Stops every connection (the reader failed, or is done early) and waits for them to end.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Hashes each chunk once it and those before it are complete; the reader waits for it.
    private func hashInOrder() {
        while true {
            condition.lock()
            while nextToHash < chunkCount, ready[nextToHash] == nil, failure == nil, !stopped { condition.wait() }
            guard nextToHash < chunkCount, failure == nil, !stopped, let buffer = ready[nextToHash] else {
                condition.unlock()
                return
            }
            let count = chunkLength(nextToHash)
            condition.unlock()
            // The buffer stays in `ready` (the reader does not take a chunk before it is hashed).
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
            condition.withLock {
                nextToHash += 1
                condition.broadcast()
            }
        }
    }

    private func chunkLength(_ index: Int) -> Int {
        Int(min(Int64(settings.chunkSize), size - Int64(index) * Int64(settings.chunkSize)))
    }

    private func work() {
        let client: HTTPClient
        do throws(Problem) { client = try HTTPClient() } catch { return fail(error) }
        if !isParallel { return fetch(0..<size, client: client) }
        while let index = claim() {
            let start = Int64(index) * Int64(settings.chunkSize)
            fetch(start..<(start + Int64(chunkLength(index))), client: client)
        }
    }

    /// The next chunk for a connection, once it is within the window; nil when there is none.
    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToClaim < chunkCount, nextToClaim >= nextToRead + window, failure == nil, !stopped { condition.wait() }
        guard nextToClaim < chunkCount, failure == nil, !stopped else { return nil }
        defer { nextToClaim += 1 }
        return nextToClaim
    }

    private func fail(_ problem: Problem) {
        condition.withLock {
            if failure == nil { failure = problem }
            condition.broadcast()
        }
    }

    /// A chunk a connection is filling.
    private typealias Filling = (index: Int, buffer: UnsafeMutableRawBufferPointer)

    /// Fetches `range` into its chunks, resuming from the byte reached when a request fails.
    private func fetch(_ range: Range<Int64>, client: HTTPClient) {
        var filling: Filling?
        defer {
            // Stopped midway: the unfinished chunk's buffer goes back to the pool.
            if let filling { condition.withLock { spare.append(filling.buffer) } }
        }
        var position = range.lowerBound
        var failures = 0
        var ignoredRangeSaid = false
        while position < range.upperBound {
            var headers: [(String, String)] = []
            if settings.acceptsRanges { headers.append(("Range", "bytes=\(position)-\(range.upperBound - 1)")) }
            if let etag = settings.etag { headers.append(("If-Match", etag)) }
            let before = position
            var streamOffset: Int64 = -1  // where the answer's body starts in the artifact
            var reason: String
            do throws(TransportError) {
                let response = try client.perform(HTTPRequest(method: "GET", url: url, headers: headers, timeoutSeconds: 0)) { status, bytes in
                    guard status == 200 || status == 206 else { return true }  // an error page: its status decides below
                    if status == 200, self.isParallel { return false }  // ranges no longer honoured: decided below
                    if streamOffset < 0 { streamOffset = status == 206 ? position : 0 }
                    return self.take(bytes, at: &streamOffset, position: &position, end: range.upperBound, filling: &filling)
                }
                if isStopped { return }
                switch response.status {
                case 200 where isParallel:
                    // Every range would come from byte 0: the whole artifact once per chunk.
                    return fail(Problem(origin: URLSecrets.redacted(url), reason: "the server stopped honouring ranges midway (it answered a range with the whole artifact): try again with --connections 1"))
                case 200, 206:
                    if response.status == 200, settings.acceptsRanges, !ignoredRangeSaid, position > 0 || range.lowerBound > 0 {
                        ignoredRangeSaid = true
                        log("the server answered a range request with the whole artifact: skipping to byte \(before)")
                    }
                    if position >= range.upperBound { return }
                    reason = "the answer ended at byte \(position) of \(size)"
                case 412:
                    return fail(Problem(origin: URLSecrets.redacted(url), reason: "the artifact changed on the server during the download (its ETag is no longer \(settings.etag ?? "?"))"))
                case 408, 429, 500...599:
                    reason = "HTTP status \(response.status)"
                default:
                    return fail(Problem(origin: URLSecrets.redacted(url), reason: "HTTP status \(response.status) for bytes \(position)-\(range.upperBound - 1)"))
                }
            } catch {
                if isStopped { return }
                guard error.isTransient else { return fail(Problem(origin: URLSecrets.redacted(url), reason: "cannot download: \(error.reason)")) }
                reason = error.reason
            }
            failures = position > before ? 1 : failures + 1
            guard failures <= settings.attempts else {
                return fail(Problem(origin: URLSecrets.redacted(url), reason: "gave up at byte \(position) of \(size) after \(settings.attempts) tries without progress: \(reason)"))
            }
            condition.withLock { resumptions += 1 }
            log("connection lost at byte \(position) of \(size) (\(reason)): resuming\(settings.acceptsRanges ? " from there" : ", skipping the bytes already taken")")
            Thread.sleep(forTimeInterval: min(8, settings.backoff * Double(1 << min(failures - 1, 5))))
        }
    }

    private var isStopped: Bool { condition.withLock { stopped || failure != nil } }

    /// Copies the part of `bytes` (which start at `streamOffset` in the artifact) that lies in
    /// `position..<end` into its chunks; false stops the request (its range is complete, or the
    /// download stopped).
    private func take(_ bytes: UnsafeRawBufferPointer, at streamOffset: inout Int64, position: inout Int64, end: Int64,
                      filling: inout Filling?) -> Bool {
        var bytes = bytes
        if streamOffset < position {
            let skip = Int(min(Int64(bytes.count), position - streamOffset))
            streamOffset += Int64(skip)
            condition.withLock { refetchedBytes += Int64(skip) }
            bytes = UnsafeRawBufferPointer(rebasing: bytes[skip...])
        }
        while !bytes.isEmpty, position < end {
            let chunk = Int(position / Int64(settings.chunkSize))
            let offset = Int(position - Int64(chunk) * Int64(settings.chunkSize))
            let length = chunkLength(chunk)
            if filling?.index != chunk {
                guard let buffer = acquireBuffer(for: chunk) else { return false }
                filling = (chunk, buffer)
            }
            let buffer = filling!.buffer
            let count = min(bytes.count, length - offset, Int(end - position))
            (buffer.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: count)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[count...])
            position += Int64(count)
            streamOffset += Int64(count)
            condition.withLock {
                receivedBytes += Int64(count)
                if offset + count == length {
                    ready[chunk] = buffer
                    condition.broadcast()
                }
            }
            if offset + count == length { filling = nil }
        }
        return position < end
    }

    /// A buffer for `chunk` once it is within the window; nil when the download stopped.
    private func acquireBuffer(for chunk: Int) -> UnsafeMutableRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        while chunk >= nextToRead + window, failure == nil, !stopped { condition.wait() }
        guard failure == nil, !stopped else { return nil }
        return spare.popLast() ?? .allocate(byteCount: settings.chunkSize, alignment: 64)
    }
}

import Catalog
import Infrastructure
import Crypto
import Foundation

/// A streamed write to S3 of unknown length. Bytes fill a part (`PartSchedule`); full parts are
/// sent by a few workers at once, each with its MD5 checked against the ETag S3 answers (a part
/// damaged on the way is sent again). `finish` completes the upload, compares the multipart ETag
/// with the one computed here and confirms the size with HEAD. An upload that fails, or a process
/// that is interrupted, aborts it: no orphan parts stay billed in the bucket. An object smaller
/// than one part is sent with one PUT.
final class S3Upload: ObjectUpload, @unchecked Sendable {
    private let store: S3Store
    private let key: String
    private let headers: ObjectHeaders
    private let condition: PutCondition
    private var part: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var partNumber = 1
    private var total: Int64 = 0
    private var uploadID: String?
    private var interruptToken: Int?
    private var closed = false
    private(set) var sentETag: String?

    private let lock = NSLock()
    private var partMD5s: [Int: Data] = [:]
    private var failure: Problem?
    private let workers = DispatchGroup()
    private var slots: DispatchSemaphore

    init(store: S3Store, key: String, headers: ObjectHeaders, condition: PutCondition) {
        self.store = store
        self.key = key
        self.headers = headers
        self.condition = condition
        let size = PartSchedule.size(ofPart: 1)!
        part = PartBuffer.allocate(size)
        slots = DispatchSemaphore(value: PartSchedule.partsInFlight(partSize: size))
    }

    deinit {
        abort()
        PartBuffer.release(part)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        guard !closed else { throw Problem(origin: "\(store.address)/\(key)", reason: "the upload is already closed") }
        var offset = 0
        while offset < bytes.count {
            let count = min(part.count - filled, bytes.count - offset)
            (part.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            filled += count
            offset += count
            if filled == part.count { try sendPart() }
        }
        total += Int64(bytes.count)
    }

    func finish() throws(Problem) -> PutOutcome {
        guard !closed else { throw Problem(origin: "\(store.address)/\(key)", reason: "the upload is already closed") }
        guard uploadID != nil else {
            closed = true
            let body = Data(bytes: part.baseAddress!, count: filled)
            sentETag = Hex.string(Insecure.MD5.hash(data: body))
            return try store.put(key, body, headers: headers, condition: condition)
        }
        if filled > 0 { try sendPart() }
        workers.wait()
        if let failure = lock.withLock({ failure }) { abort(); throw failure }
        do throws(Problem) {
            let outcome = try complete()
            closed = true
            forgetInterrupt()
            if case .conditionFailed = outcome { abortRemotely() }
            return outcome
        } catch {
            abort()
            throw error
        }
    }

    func abort() {
        guard !closed else { return }
        closed = true
        workers.wait()
        abortRemotely()
        forgetInterrupt()
    }

    /// Hands the full part to a worker (waiting for a free slot) and starts the next one.
    private func sendPart() throws(Problem) {
        if uploadID == nil { try initiate() }
        if let failure = lock.withLock({ failure }) { throw failure }
        slots.wait()
        let number = partNumber
        let body = PartBuffer.data(part, count: filled)
        let uploadID = uploadID!
        workers.enter()
        DispatchQueue.global().async { [self] in
            defer { workers.leave(); slots.signal() }
            do throws(Problem) {
                let md5 = try uploadPart(number, body, uploadID: uploadID)
                lock.withLock { partMD5s[number] = md5 }
            } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }
        partNumber += 1
        guard let size = PartSchedule.size(ofPart: partNumber) else {
            throw Problem(origin: "\(store.address)/\(key)", reason: "larger than S3's 10,000 parts allow (\(PartSchedule.capacity >> 30) GiB)")
        }
        if size != part.count {
            // A larger tier: fewer parts in flight. Wait for all of this tier's, then resize the slots.
            workers.wait()
            slots = DispatchSemaphore(value: PartSchedule.partsInFlight(partSize: size))
        }
        part = PartBuffer.allocate(size)
        filled = 0
    }

    private func initiate() throws(Problem) {
        let fields = S3Store.fields(headers, key: key)
        uploadID = try store.send("POST", key: key, query: [("uploads", "")], headers: fields) { response throws(Problem) -> RetryPolicy.Attempt<String> in
            try store.check(response, "CreateMultipartUpload", key)
            guard let id = S3XML(response.body).first("UploadId"), !id.isEmpty else {
                throw Problem(origin: "\(store.address)/\(key)", reason: "CreateMultipartUpload answered no UploadId")
            }
            return .done(id)
        }
        let (target, name, id) = (store, key, uploadID!)
        interruptToken = InterruptCleanup.register {
            try? target.send("DELETE", key: name, query: [("uploadId", id)], timeoutSeconds: 10) { _ throws(Problem) in .done(()) }
            FileHandle.standardError.write(Data("interrupted: aborted the multipart upload of \(target.address)/\(name)\n".utf8))
        }
    }

    private func uploadPart(_ number: Int, _ body: Data, uploadID: String) throws(Problem) -> Data {
        let md5 = Data(Insecure.MD5.hash(data: body))
        let expected = Hex.string(md5)
        try store.send("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
                       headers: [("Content-MD5", md5.base64EncodedString())], body: body) { response throws(Problem) -> RetryPolicy.Attempt<Void> in
            try store.check(response, "UploadPart \(number)", key)
            guard S3Store.unquoted(response.headers["etag"] ?? "") == expected else {
                return .retry("part \(number) arrived damaged (its ETag is not the MD5 sent)")
            }
            return .done(())
        }
        return md5
    }

    private func complete() throws(Problem) -> PutOutcome {
        let numbers = lock.withLock { partMD5s.keys.sorted() }
        let md5s = lock.withLock { numbers.map { partMD5s[$0]! } }
        let expected = Hex.string(Insecure.MD5.hash(data: md5s.reduce(Data(), +))) + "-\(numbers.count)"
        sentETag = expected
        let body = "<CompleteMultipartUpload>" + zip(numbers, md5s).map { number, md5 in
            "<Part><PartNumber>\(number)</PartNumber><ETag>\"\(Hex.string(md5))\"</ETag></Part>"
        }.joined() + "</CompleteMultipartUpload>"
        var fields: [(String, String)] = [("Content-Type", "application/xml")]
        switch condition {
        case .always: break
        case .ifAbsent: fields.append(("If-None-Match", "*"))
        case .ifMatch(let etag): fields.append(("If-Match", "\"\(etag)\""))
        }
        var attempts = 0
        let outcome = try store.send("POST", key: key, query: [("uploadId", uploadID!)], headers: fields,
                                     body: Data(body.utf8)) { response throws(Problem) -> RetryPolicy.Attempt<PutOutcome> in
            attempts += 1
            if response.status == 412 { return .done(.conditionFailed) }
            let xml = S3XML(response.body)
            // A retried completion whose first try succeeded: the object is there with our ETag.
            if response.status == 404, attempts > 1, xml.first("Code") == "NoSuchUpload", try store.head(key)?.etag == expected {
                return .done(.written(etag: expected))
            }
            try store.check(response, "CompleteMultipartUpload", key)
            // S3 may answer 200 and report an error in the body, after a long wait.
            if let code = xml.first("Code"), response.body.count < 4096, xml.first("ETag") == nil {
                return .retry("CompleteMultipartUpload reported \(code)")
            }
            return .done(.written(etag: S3Store.unquoted(xml.first("ETag") ?? "")))
        }
        guard case .written(let etag) = outcome else { return outcome }
        guard etag == expected else {
            throw Problem(origin: "\(store.address)/\(key)", reason: "the completed object's ETag \(etag) is not the \(expected) of the parts sent")
        }
        guard let info = try store.head(key), info.size == total else {
            throw Problem(origin: "\(store.address)/\(key)", reason: "after completion the object is not \(total) bytes")
        }
        return outcome
    }

    private func abortRemotely() {
        guard let id = uploadID else { return }
        uploadID = nil
        try? store.send("DELETE", key: key, query: [("uploadId", id)], timeoutSeconds: 30) { response throws(Problem) -> RetryPolicy.Attempt<Void> in
            if response.status != 404 { try store.check(response, "AbortMultipartUpload", key) }
            return .done(())
        }
    }

    private func forgetInterrupt() {
        if let token = interruptToken { InterruptCleanup.forget(action: token) }
        interruptToken = nil
    }
}

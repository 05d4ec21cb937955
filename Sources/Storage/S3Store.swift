import Catalog
import Infrastructure
import Crypto
import Foundation

/// An S3 bucket (or a prefix in one) on AWS or any S3-compatible host. libcurl carries each
/// request; `SigV4` signs it. Transient failures (resets, timeouts, 5xx, 429) are retried with
/// backoff; every error names the store and the key, never a credential.
public final class S3Store: ObjectStore, @unchecked Sendable {
    public let address: String
    let bucket: String
    let prefix: String
    let endpoint: S3Endpoint
    let credentials: CredentialSource
    let retry: RetryPolicy
    let log: @Sendable (String) -> Void
    private let clients = ClientPool()

    public var websitePath: String { "/" + prefix }
    public var keySpace: String { "s3://\(endpoint.host)/\(bucket)/\(prefix)" }

    public init(bucket: String, prefix: String, endpoint: S3Endpoint, credentials: CredentialSource,
                retry: RetryPolicy = .standard, log: @escaping @Sendable (String) -> Void) {
        self.bucket = bucket
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.endpoint = endpoint
        self.credentials = credentials
        self.retry = retry
        self.log = log
        address = "s3://\(bucket)" + (prefix.isEmpty ? "" : "/" + prefix)
    }

    public func put(_ key: String, _ data: Data, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> PutOutcome {
        let md5 = Data(Insecure.MD5.hash(data: data))
        var fields = Self.fields(headers, key: key) + [("Content-MD5", md5.base64EncodedString())]
        switch condition {
        case .always: break
        case .ifAbsent: fields.append(("If-None-Match", "*"))
        case .ifMatch(let etag): fields.append(("If-Match", "\"\(etag)\""))
        }
        let expected = Hex.string(md5)
        return try send("PUT", key: key, headers: fields, body: data) { response throws(Problem) -> RetryPolicy.Attempt<PutOutcome> in
            if response.status == 412 { return .done(.conditionFailed) }
            try self.check(response, "PUT", key)
            let etag = Self.unquoted(response.headers["etag"] ?? "")
            // Where the ETag is the body's MD5 (no KMS), a different one means damage on the way.
            if etag.count == 32, etag != expected { return .retry("PUT \(key): the stored object's MD5 differs from what was sent") }
            return .done(.written(etag: etag))
        }
    }

    public func upload(_ key: String, headers: ObjectHeaders, condition: PutCondition) throws(Problem) -> ObjectUpload {
        S3Upload(store: self, key: key, headers: headers, condition: condition)
    }

    public func get(_ key: String) throws(Problem) -> StoredObject? {
        try send("GET", key: key) { response throws(Problem) -> RetryPolicy.Attempt<StoredObject?> in
            if response.status == 404 { return .done(nil) }
            try self.check(response, "GET", key)
            return .done(StoredObject(data: response.body, etag: Self.unquoted(response.headers["etag"] ?? "")))
        }
    }

    public func head(_ key: String) throws(Problem) -> ObjectInfo? {
        try send("HEAD", key: key) { response throws(Problem) -> RetryPolicy.Attempt<ObjectInfo?> in
            if response.status == 404 { return .done(nil) }
            try self.check(response, "HEAD", key)
            let h = response.headers
            return .done(ObjectInfo(
                key: key, size: Int64(h["content-length"] ?? "") ?? 0, etag: Self.unquoted(h["etag"] ?? ""),
                headers: ObjectHeaders(contentType: h["content-type"], cacheControl: h["cache-control"], acl: nil,
                                       websiteRedirect: h["x-amz-website-redirect-location"]),
                lastModified: h["last-modified"].flatMap(HTTPDate.imf)))
        }
    }

    public func list(prefix listed: String) throws(Problem) -> [ObjectInfo] {
        var found: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix + listed)]
            if let token { query.append(("continuation-token", token)) }
            let page = try send("GET", key: nil, query: query) { response throws(Problem) -> RetryPolicy.Attempt<S3XML> in
                try self.check(response, "LIST", listed)
                return .done(S3XML(response.body))
            }
            for item in page.elements("Contents") {
                guard let key = item.first("Key"), key.hasPrefix(prefix) else { continue }
                found.append(ObjectInfo(key: String(key.dropFirst(prefix.count)), size: Int64(item.first("Size") ?? "") ?? 0,
                                        etag: Self.unquoted(item.first("ETag") ?? ""),
                                        lastModified: item.first("LastModified").flatMap(HTTPDate.iso8601)))
            }
            token = page.first("IsTruncated") == "true" ? page.first("NextContinuationToken") : nil
        } while token != nil
        return found
    }

    /// ListMultipartUploads under the prefix, every page.
    public func pendingUploads() throws(Problem) -> [PendingUpload] {
        var found: [PendingUpload] = []
        var marker: (key: String, id: String)?
        repeat {
            var query = [("uploads", ""), ("prefix", prefix)]
            if let marker { query += [("key-marker", marker.key), ("upload-id-marker", marker.id)] }
            let page = try send("GET", key: nil, query: query) { response throws(Problem) -> RetryPolicy.Attempt<S3XML> in
                try self.check(response, "LIST UPLOADS", "")
                return .done(S3XML(response.body))
            }
            for upload in page.elements("Upload") {
                guard let key = upload.first("Key"), key.hasPrefix(prefix), let id = upload.first("UploadId") else { continue }
                found.append(PendingUpload(key: String(key.dropFirst(prefix.count)), id: id,
                                           started: upload.first("Initiated").flatMap(HTTPDate.iso8601) ?? .distantPast))
            }
            marker = page.first("IsTruncated") == "true"
                ? page.first("NextKeyMarker").map { ($0, page.first("NextUploadIdMarker") ?? "") } : nil
        } while marker != nil
        return found.sorted { $0.started < $1.started }
    }

    public func abort(_ upload: PendingUpload) throws(Problem) {
        try send("DELETE", key: upload.key, query: [("uploadId", upload.id)]) { response throws(Problem) -> RetryPolicy.Attempt<Void> in
            if response.status != 404 { try self.check(response, "ABORT UPLOAD", upload.key) }
            return .done(())
        }
    }

    public func delete(_ key: String) throws(Problem) {
        try send("DELETE", key: key) { response throws(Problem) -> RetryPolicy.Attempt<Void> in
            if response.status != 404 { try self.check(response, "DELETE", key) }
            return .done(())
        }
    }

    /// One request, signed afresh for each attempt and retried while `interpret` or the transport
    /// says so; `interpret` sees every answer that is not a transient failure.
    func send<Value>(_ method: String, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
                     body: Data = Data(), timeoutSeconds: Int = 300,
                     _ interpret: (HTTPResponse) throws(Problem) -> RetryPolicy.Attempt<Value>) throws(Problem) -> Value {
        let target = endpoint.target(bucket: bucket, key: key.map { prefix + $0 })
        let shown = "\(address)/\(key ?? "")"
        let payloadHash = Hex.string(SHA256.hash(data: body))
        let client = try clients.take()
        defer { clients.give(client) }
        return try retry.run(log: { self.log("\(shown): \($0)") }, failure: { Problem(origin: shown, reason: $0) }) { () throws(Problem) -> RetryPolicy.Attempt<Value> in
            let signer = SigV4(credentials: try credentials.current(), region: endpoint.region)
            let hostHeader = [("host", target.host)]
            // Conditions are sent but not signed (SigV4 lets a client choose): a proxy or host that
            // drops them then still accepts the request, and `ConditionProbe` notices and says so,
            // instead of every write failing with a signature error that names nothing useful.
            let signedHeaders = headers.filter { !Self.unsignedHeaders.contains($0.0.lowercased()) }
            let signed = signer.sign(method: method, path: target.path, query: query, headers: hostHeader + signedHeaders,
                                     payloadHash: payloadHash, date: Date())
            let queryText = SigV4.canonicalQuery(query)
            let url = target.base + target.path + (queryText.isEmpty ? "" : "?" + queryText)
            let request = HTTPRequest(method: method, url: url, headers: hostHeader + headers + signed, body: body, timeoutSeconds: timeoutSeconds)
            let response: HTTPResponse
            do throws(TransportError) { response = try client.perform(request) } catch {
                guard error.isTransient else { throw Problem(origin: shown, reason: error.reason) }
                return .retry("\(method) failed: \(error.reason)")
            }
            if let reason = Self.transientStatus(response) { return .retry("\(method) answered \(reason)") }
            return try interpret(response)
        }
    }

    /// Fails with S3's own code and message for anything but success.
    func check(_ response: HTTPResponse, _ operation: String, _ key: String) throws(Problem) {
        guard !(200..<300).contains(response.status) else { return }
        let xml = S3XML(response.body)
        let code = xml.first("Code").map { " \($0)" } ?? ""
        let message = xml.first("Message").map { ": \(URLSecrets.redactingURLs(in: $0))" } ?? ""
        throw Problem(origin: "\(address)/\(key)", reason: "\(operation) answered HTTP \(response.status)\(code)\(message)")
    }

    /// 5xx, 429 (slow down), a conditional write racing another (409), a damaged body (BadDigest)
    /// and S3's own request timeout are worth another try.
    static func transientStatus(_ response: HTTPResponse) -> String? {
        let code = response.status >= 400 ? S3XML(response.body).first("Code") : nil
        let transient = response.status >= 500 || response.status == 429
            || (response.status == 409 && code == "ConditionalRequestConflict")
            || (response.status == 400 && (code == "RequestTimeout" || code == "BadDigest"))
        return transient ? "HTTP \(response.status)\(code.map { " \($0)" } ?? "")" : nil
    }

    static let unsignedHeaders: Set<String> = ["if-match", "if-none-match"]

    static func fields(_ headers: ObjectHeaders, key: String) -> [(String, String)] {
        var fields = [("Content-Type", headers.contentType ?? ObjectHeaders.contentType(forKey: key))]
        if let cache = headers.cacheControl { fields.append(("Cache-Control", cache)) }
        if let acl = headers.acl { fields.append(("x-amz-acl", acl.rawValue)) }
        if let redirect = headers.websiteRedirect { fields.append(("x-amz-website-redirect-location", redirect)) }
        return fields
    }

    static func unquoted(_ etag: String) -> String { etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }

}

/// Connections kept for reuse, one per thread at a time.
final class ClientPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [HTTPClient] = []

    func take() throws(Problem) -> HTTPClient {
        if let client = lock.withLock({ idle.popLast() }) { return client }
        return try HTTPClient()
    }

    func give(_ client: HTTPClient) { lock.withLock { idle.append(client) } }
}

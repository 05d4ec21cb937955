import CCurl
import Catalog
import Infrastructure
import Foundation

/// One HTTP exchange, as the stores and remote catalogs need it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data
    public var timeoutSeconds: Int
    /// Follow `Location` answers (a GET of a URL a user gave); S3 requests never do.
    public var followRedirects: Bool

    public init(method: String, url: String, headers: [(String, String)] = [], body: Data = Data(), timeoutSeconds: Int = 300,
                followRedirects: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.followRedirects = followRedirects
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lowercase; the last value wins.
    public var headers: [String: String]
    public var body: Data
    /// The URL that answered, after any redirects were followed.
    public var effectiveURL: String
    /// False when `receive` stopped taking the body before its end.
    public var isComplete: Bool
}

/// Why no answer came: the message is libcurl's, with any URL in it redacted.
public struct TransportError: Error, Sendable {
    public let reason: String
    /// A reset, a refused or cut connection, a timeout: worth trying again.
    public let isTransient: Bool

    public init(reason: String, isTransient: Bool) {
        self.reason = reason
        self.isTransient = isTransient
    }
}

/// libcurl carries every request (TLS verified, `AWS_CA_BUNDLE` honoured). One client is one
/// reusable connection, for one thread at a time: each upload worker owns its own.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer
    private let caBundle: String?

    public init(caBundle: String? = ProcessInfo.processInfo.environment["AWS_CA_BUNDLE"]) throws(Problem) {
        guard let handle = shots_curl_easy_init() else {
            throw Problem(origin: "libcurl", reason: "cannot be loaded (is libcurl4 installed?)")
        }
        self.handle = handle
        self.caBundle = caBundle.flatMap { $0.isEmpty ? nil : $0 }
    }

    deinit { shots_curl_easy_cleanup(handle) }

    /// The request's body is sent from memory; the answer's body is kept up to `limit` bytes
    /// (more is an error), or streamed to `receive` with the answer's status when given (an error
    /// page's body too: the status says which it is). `receive` returning false ends the
    /// transfer there: the answer comes back with `isComplete` false, not as an error.
    public func perform(_ request: HTTPRequest, limit: Int = 64 << 20,
                        receive: ((_ status: Int, _ bytes: UnsafeRawBufferPointer) -> Bool)? = nil) throws(TransportError) -> HTTPResponse {
        shots_curl_easy_reset(handle)
        let exchange = Exchange(body: request.body, limit: limit, receive: receive)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        var list: UnsafeMutablePointer<curl_slist>?
        // libcurl would add `Expect: 100-continue` (a round trip per part) and a chunked encoding.
        for (name, value) in request.headers + [("Expect", ""), ("Transfer-Encoding", "")] {
            list = shots_curl_slist_append(list, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        defer { shots_curl_slist_free_all(list) }
        shots_curl_setopt_string(handle, CURLOPT_URL, request.url)
        shots_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        shots_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        shots_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 30)
        shots_curl_setopt_long(handle, CURLOPT_TIMEOUT, request.timeoutSeconds)
        if request.followRedirects { shots_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1) }
        // A stalled transfer (under 1 KiB/s for a minute) is a timeout, not a hang.
        shots_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1024)
        shots_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
        if let caBundle { shots_curl_setopt_string(handle, CURLOPT_CAINFO, caBundle) }
        shots_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
        switch request.method {
        case "HEAD": shots_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        case "GET": break
        default:
            shots_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            shots_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.count))
            shots_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            shots_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
            shots_curl_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().read(into: buffer!, capacity: size * count)
            }
        }
        shots_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        shots_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().header(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        shots_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        shots_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().receive(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            shots_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            defer { shots_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil) }
            return shots_curl_easy_perform(handle)
        }
        if exchange.overflowed { throw TransportError(reason: "the answer is larger than \(limit >> 20) MiB", isTransient: false) }
        let stopped = code == CURLE_WRITE_ERROR && exchange.stopped
        guard code == CURLE_OK || stopped else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = URLSecrets.redactingURLs(in: detail.isEmpty ? String(cString: shots_curl_easy_strerror(code)) : detail)
            throw TransportError(reason: reason + " (curl error \(code.rawValue))", isTransient: Self.transientCodes.contains(code))
        }
        var status = 0
        shots_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafePointer<CChar>?
        shots_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        return HTTPResponse(status: status, headers: exchange.headers, body: exchange.received,
                            effectiveURL: effective.map { String(cString: $0) } ?? request.url, isComplete: !stopped)
    }

    /// A GET of a URL a user named (a node's RPC, a network's base.json), redirects followed: the
    /// body of a 2xx answer up to `limit` bytes. Errors name the URL and repeat none of its
    /// credentials, even where libcurl's own message quotes them.
    public static func get(_ url: String, timeoutSeconds: Int, limit: Int) throws(Problem) -> Data {
        try fetch(HTTPRequest(method: "GET", url: url, timeoutSeconds: timeoutSeconds, followRedirects: true), limit: limit)
    }

    /// A POST of a JSON body to a URL a user named (a Substrate node's JSON-RPC), as `get` answers it.
    public static func post(_ url: String, json body: Data, timeoutSeconds: Int, limit: Int) throws(Problem) -> Data {
        try fetch(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: body,
                              timeoutSeconds: timeoutSeconds), limit: limit)
    }

    private static func fetch(_ request: HTTPRequest, limit: Int) throws(Problem) -> Data {
        let url = request.url
        let shown = URLSecrets.redacted(url)
        let client = try HTTPClient(caBundle: nil)
        let response: HTTPResponse
        do throws(TransportError) {
            response = try client.perform(request, limit: limit)
        } catch {
            throw Problem(origin: shown, reason: "cannot fetch: \(URLSecrets.redacted(error.reason, about: url))")
        }
        guard (200..<300).contains(response.status) else { throw Problem(origin: shown, reason: "HTTP status \(response.status)") }
        return response.body
    }

    private static let transientCodes: Set<CURLcode> = [
        CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
        CURLE_PARTIAL_FILE, CURLE_COULDNT_RESOLVE_HOST, CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM,
        // A reused connection reset while the body was going out: libcurl would send it again on a
        // new one but cannot rewind it itself; the request is sent again whole.
        CURLE_SEND_FAIL_REWIND,
    ]

    /// The state of one transfer, reached from libcurl's C callbacks.
    private final class Exchange {
        let body: Data
        var sent = 0
        var headers: [String: String] = [:]
        var received = Data()
        let limit: Int
        var overflowed = false
        var stopped = false
        let consumer: ((Int, UnsafeRawBufferPointer) -> Bool)?
        /// The status of the answer being received (the last status line seen).
        var status = 0

        init(body: Data, limit: Int, receive: ((Int, UnsafeRawBufferPointer) -> Bool)?) {
            self.body = body
            self.limit = limit
            consumer = receive
        }

        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let count = min(capacity, body.count - sent)
            body.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + sent, byteCount: count)
            }
            sent += count
            return count
        }

        func header(_ line: UnsafeRawBufferPointer) -> Int {
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("HTTP/") {  // a new answer (after a 100 Continue or a redirect, say)
                headers = [:]
                status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            }
            if let colon = text.firstIndex(of: ":") {
                let name = text[..<colon].lowercased()
                headers[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return line.count
        }

        func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
            if let consumer {
                guard consumer(status, bytes) else { stopped = true; return 0 }
                return bytes.count
            }
            guard received.count + bytes.count <= limit else { overflowed = true; return 0 }
            received.append(contentsOf: bytes)
            return bytes.count
        }
    }
}

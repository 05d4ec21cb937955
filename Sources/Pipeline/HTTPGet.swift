import CCurl
import Catalog
import Foundation

/// A plain HTTP GET with libcurl, for small JSON answers. Its errors show the URL redacted
/// (`URLSecrets`), and libcurl's own message too.
public enum HTTPGet {
    private final class Body {
        var data = Data()
        let limit: Int
        var overflowed = false
        init(limit: Int) { self.limit = limit }
    }

    public static func fetch(_ url: String, timeoutSeconds: Int, limit: Int) throws(Problem) -> Data {
        let shown = URLSecrets.redacted(url)
        guard let handle = shots_curl_easy_init() else {
            throw Problem(origin: shown, reason: "libcurl could not be loaded (is libcurl4 installed?)")
        }
        defer { shots_curl_easy_cleanup(handle) }
        let body = Body(limit: limit)
        let write: curl_write_callback = { pointer, size, count, context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard body.data.count + length <= body.limit else { body.overflowed = true; return 0 }
            body.data.append(UnsafeRawPointer(pointer!).assumingMemoryBound(to: UInt8.self), count: length)
            return length
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        shots_curl_setopt_string(handle, CURLOPT_URL, url)
        shots_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        shots_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        shots_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        shots_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        shots_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(body).toOpaque())
        shots_curl_setopt_write(handle, write)
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            shots_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            let code = shots_curl_easy_perform(handle)
            shots_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            return code
        }
        guard !body.overflowed else { throw Problem(origin: shown, reason: "the answer is larger than \(limit / 1024) KiB") }
        guard code == CURLE_OK else {
            let detail = URLSecrets.redacted(String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), about: url)
            throw Problem(origin: shown, reason: "cannot fetch: \(detail.isEmpty ? String(cString: shots_curl_easy_strerror(code)) : detail)")
        }
        var status = 0
        shots_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard (200..<300).contains(status) else { throw Problem(origin: shown, reason: "HTTP status \(status)") }
        return body.data
    }
}

import Catalog
import Infrastructure
import Storage
import Foundation

/// An artifact URL resolved once, redirects followed: a permalink that moves to a newer artifact
/// while the download runs cannot mix two artifacts, since every request goes to the URL pinned here.
public struct PinnedArtifact: Sendable {
    /// The URL that answered, after redirects.
    public var url: String
    public var filename: String
    public var size: Int64
    /// Whether the server answers `Range` requests (206): resumable and parallel downloads.
    public var acceptsRanges: Bool
    /// The object's strong ETag: every later request asks for that version (`If-Match`), so an
    /// object replaced midway fails the download instead of mixing two versions' bytes.
    public var etag: String?

    /// Asks for the first byte (`Range: bytes=0-0`): the answer gives the final URL, the size, and
    /// whether ranges are honoured, without downloading the artifact.
    public static func resolve(_ url: String) throws(Problem) -> PinnedArtifact {
        let shown = URLSecrets.redacted(url)
        let client = try HTTPClient()
        let response: HTTPResponse
        do throws(TransportError) {
            var taken = 0
            response = try client.perform(HTTPRequest(method: "GET", url: url, headers: [("Range", "bytes=0-0")], timeoutSeconds: 60,
                                                      followRedirects: true)) { status, bytes in
                guard status == 200 || status == 206 else { return true }
                taken += bytes.count
                return taken <= 1
            }
        } catch {
            throw Problem(origin: shown, reason: "cannot fetch: \(URLSecrets.redacted(error.reason, about: url))")
        }
        let pinned = response.effectiveURL
        let filename = SiteAddress.lastComponent(of: pinned)
        switch response.status {
        case 206:
            guard let total = response.headers["content-range"]?.split(separator: "/").last.flatMap({ Int64($0) }) else {
                throw Problem(origin: shown, reason: "a partial answer without its total size (Content-Range: \(response.headers["content-range"] ?? "none"))")
            }
            let etag = response.headers["etag"].flatMap { $0.hasPrefix("\"") ? $0 : nil }
            return PinnedArtifact(url: pinned, filename: filename, size: total, acceptsRanges: true, etag: etag)
        case 200:
            guard let length = response.headers["content-length"].flatMap({ Int64($0) }) else {
                throw Problem(origin: shown, reason: "the server gives neither ranges nor the artifact's size (no Content-Length)")
            }
            return PinnedArtifact(url: pinned, filename: filename, size: length, acceptsRanges: false, etag: nil)
        default:
            throw Problem(origin: shown, reason: "HTTP status \(response.status)" + (pinned == url ? "" : " at \(URLSecrets.redacted(pinned))"))
        }
    }

    /// The download of this artifact, every request to the pinned URL and version (not started).
    func download(connections: Int, log: @escaping @Sendable (String) -> Void) -> ChunkedDownload {
        if !acceptsRanges {
            log("the server ignores Range requests: downloading in one stream; a cut connection starts it again, skipping the bytes already taken")
        }
        return ChunkedDownload(url: url, size: size, settings: .init(connections: connections, acceptsRanges: acceptsRanges, etag: etag), log: log)
    }

    /// The artifact's metadata, checksum and signature, read beside the pinned URL.
    public func evidence() throws(Problem) -> ArtifactEvidence {
        try ArtifactEvidence.load(filename: filename) { name throws(Problem) in try Self.fetchIfPresent(SiteAddress.sibling(of: url, named: name)) }
    }

    /// A small file's bytes, or nil when the server answers 404.
    static func fetchIfPresent(_ url: String) throws(Problem) -> Data? {
        let shown = URLSecrets.redacted(url)
        let client = try HTTPClient()
        let response: HTTPResponse
        do throws(TransportError) {
            // A reset or a busy server (5xx, 429) on a small file is tried again a few times.
            response = try RetryPolicy(attempts: 4, baseDelay: 0.2, maximumDelay: 2, deadline: 30)
                .run(failure: { TransportError(reason: $0, isTransient: false) }) { () throws(TransportError) -> RetryPolicy.Attempt<HTTPResponse> in
                    do throws(TransportError) {
                        let answer = try client.perform(HTTPRequest(method: "GET", url: url, timeoutSeconds: 60, followRedirects: true), limit: 1 << 20)
                        return [429, 500, 502, 503, 504].contains(answer.status) ? .retry("HTTP status \(answer.status)") : .done(answer)
                    } catch {
                        guard error.isTransient else { throw error }
                        return .retry(error.reason)
                    }
                }
        } catch {
            throw Problem(origin: shown, reason: "cannot fetch: \(URLSecrets.redacted(error.reason, about: url))")
        }
        switch response.status {
        case 200..<300: return response.body
        case 404, 410: return nil
        default: throw Problem(origin: shown, reason: "HTTP status \(response.status)")
        }
    }
}

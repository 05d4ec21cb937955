import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// Answers as the production hosts would (S3 website hosting for each network's bucket and the
/// site's, the site's `_redirects` as Netlify and Cloudflare Pages read it), from folder stores
/// laid out as `PreviewLayout` says: the site at `/`, each network under `/store/<network>`.
/// Bytes are served exactly as published; nothing is rewritten. Every folder store is opened
/// afresh for each request (a publish may replace it meanwhile), and every path is walked
/// without following a link.
struct PreviewResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let site: PreviewSite

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = answer(request)
        let bytes = response.headers[.contentLength] ?? "-"
        let shown = String(request.uri.string.prefix(200)).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        FileHandle.standardError.write(Data("\(request.method) \(shown) \(response.status.code) \(bytes)\n".utf8))
        return response
    }

    private func answer(_ request: Request) -> Response {
        guard request.uri.string.utf8.count <= RequestPath.maximumLength else { return Self.plain(.uriTooLong, "the URL is longer than 8 KiB\n") }
        guard request.method == .get || request.method == .head else {
            var response = Self.plain(.methodNotAllowed, "only GET and HEAD are answered here\n")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        let raw = request.uri.path
        if raw == "/health" { return health() }
        if raw == LiveReload.path, let live = site.live { return liveState(live) }
        guard let path = RequestPath(raw) else { return Self.plain(.badRequest, "not a path this host serves\n") }
        let mount = PreviewLayout.storePath(network: "")
        if path.segments.count >= 2, "/" + path.segments[0] + "/" == mount, let folder = site.networkStores[path.segments[1]] {
            let network = PreviewLayout.storePath(network: path.segments[1])
            return object(in: folder, mount: network, segments: Array(path.segments.dropFirst(2)), folderAsked: path.isFolder, request: request, isSite: false)
        }
        if let rule = redirectRules().rule(for: raw) {
            return Self.redirect(rule.status, to: rule.location)
        }
        return object(in: site.siteStore, mount: "", segments: path.segments, folderAsked: path.isFolder, request: request, isSite: true)
    }

    /// One object of a folder store, as S3 website hosting answers for it.
    private func object(in folder: String, mount: String, segments: [String], folderAsked: Bool, request: Request, isSite: Bool) -> Response {
        guard FileManager.default.fileExists(atPath: folder), let store = try? DirectoryStore(path: folder) else { return notFound(isSite) }
        let named = segments.joined(separator: "/")
        // The bucket's root, and a request for a folder, are its index document.
        if named.isEmpty, !folderAsked, !mount.isEmpty { return Self.redirect(302, to: mount + "/") }
        let key = named.isEmpty ? PublishedLayout.bucketIndexKey : folderAsked ? PublishedLayout.pageKey(sitePath: named + "/") : named
        guard let info = try? store.head(key) else {
            if !folderAsked, store.isFolder(named) { return Self.redirect(302, to: request.uri.path + "/") }
            return notFound(isSite)
        }
        if let location = info.headers.websiteRedirect {
            return Self.redirect(PublishedLayout.bucketRedirectStatus, to: location.hasPrefix("/") ? mount + location : location)
        }
        guard let file = try? store.openObject(key).map(OpenFile.init) else { return notFound(isSite) }
        var headers = HTTPFields()
        headers[.contentType] = info.headers.contentType ?? ObjectHeaders.contentType(forKey: key)
        if let cache = info.headers.cacheControl { headers[.cacheControl] = cache }
        headers[.eTag] = "\"\(info.etag)\""
        if let modified = info.lastModified { headers[.lastModified] = HTTPDate.imf(modified) }
        headers[.acceptRanges] = "bytes"
        if request.headers[.ifNoneMatch].map({ $0 == "\"\(info.etag)\"" || $0 == "*" }) == true {
            return Response(status: .notModified, headers: headers)
        }
        // As S3 answers a GET for another version than the one asked: a restore's ranges never mix two.
        if let wanted = request.headers[.ifMatch], wanted != "*", !wanted.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "\"\(info.etag)\"" }) {
            return Self.plain(.preconditionFailed, "the object is no longer the version asked for (If-Match)\n")
        }
        let size = file.size
        var status = HTTPResponse.Status.ok
        var range: ClosedRange<Int64> = 0...max(0, size - 1)  // an empty object has no byte to range over
        switch ByteRange(header: request.headers[.range], size: size) {
        case .whole: break
        case .part(let part):
            status = .partialContent
            range = part
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"
        case .unsatisfiable:
            var response = Self.plain(.rangeNotSatisfiable, "the range asked is not in this object of \(size) bytes\n")
            response.headers[.contentRange] = "bytes */\(size)"
            return response
        }
        // In --watch mode only, pages carry the reload script (the one change to what was published).
        if site.live != nil, headers[.contentType]?.hasPrefix("text/html") == true, status == .ok, size < 16 << 20 {
            var page = Data(count: Int(size))
            let read = page.withUnsafeMutableBytes { pread(file.descriptorForPage, $0.baseAddress, Int(size), 0) }
            let injected = LiveReload.inject(into: page.prefix(max(0, read)))
            headers[.contentLength] = String(injected.count)
            headers[.eTag] = nil
            return Response(status: .ok, headers: headers, body: request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: injected)))
        }
        let length = size == 0 ? 0 : range.upperBound - range.lowerBound + 1
        headers[.contentLength] = String(length)
        if request.method == .head || length == 0 { return Response(status: status, headers: headers) }
        let start = range.lowerBound
        return Response(status: status, headers: headers, body: ResponseBody(contentLength: Int(length)) { writer in
            try await file.send(from: start, count: length, to: &writer)
            try await writer.finish(nil)
        })
    }

    private func notFound(_ isSite: Bool) -> Response {
        if isSite, let store = try? DirectoryStore(path: site.siteStore), let page = try? store.get("404.html") {
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentLength] = String(page.data.count)
            return Response(status: .notFound, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: page.data)))
        }
        return Self.plain(.notFound, "no such object\n")
    }

    private func redirectRules() -> SiteRedirectRules {
        guard FileManager.default.fileExists(atPath: site.siteStore), let store = try? DirectoryStore(path: site.siteStore),
              let file = try? store.get(PublishedLayout.redirectRulesKey) else { return SiteRedirectRules("") }
        return SiteRedirectRules(String(decoding: file.data, as: UTF8.self))
    }

    private func liveState(_ live: LiveReload) -> Response {
        let (version, error) = live.state
        let document = JSONWriter().data(.object(["version": .integer(Int64(version)), "error": error.map(JSONValue.string) ?? .null]))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        headers[.contentLength] = String(document.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
    }

    private func health() -> Response {
        // A store folder gone since start-up is a network without artifacts, not one left out.
        let stores = site.networkStores.sorted { $0.key < $1.key }.map { network, folder -> (network: String, store: DirectoryStore?) in
            (network, FileManager.default.fileExists(atPath: folder) ? try? DirectoryStore(path: folder) : nil)
        }
        let (healthy, document) = StoreHealth.check(stores, layout: site.layout, maxAgeSeconds: site.maxAgeSeconds)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = PublishedLayout.changingCacheControl
        headers[.contentLength] = String(document.count)
        return Response(status: healthy ? .ok : .serviceUnavailable, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.contentLength] = String(text.utf8.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ status: Int, to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.contentLength] = "0"
        return Response(status: .init(code: status), headers: headers)
    }
}

/// What `shots serve` serves: folder stores and what /health checks.
public struct PreviewSite: Sendable {
    public var siteStore: String
    public var networkStores: [String: String]
    /// The site's family and names: what `/health` reads of each store.
    public var layout: PublishedLayout
    public var maxAgeSeconds: Int64?
    /// Set in `--watch` mode: pages get the reload script, `/_shots/live` answers.
    public var live: LiveReload?

    public init(siteStore: String, networkStores: [String: String], layout: PublishedLayout, maxAgeSeconds: Int64?, live: LiveReload? = nil) {
        self.siteStore = siteStore
        self.networkStores = networkStores
        self.layout = layout
        self.maxAgeSeconds = maxAgeSeconds
        self.live = live
    }
}

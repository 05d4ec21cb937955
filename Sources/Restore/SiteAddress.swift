import Infrastructure
import Foundation

/// URLs a client builds from what a user gave: a site's root, an artifact's companions.
enum SiteAddress {
    /// `base` and a key under it, with one slash between.
    static func join(_ base: String, _ key: String) -> String {
        PathText.trimmingTrailingSlashes(base) + "/" + key
    }

    /// The host (and port) of a URL, lowercased; nil when it has none.
    static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        return host.lowercased() + (components.port.map { ":\($0)" } ?? "")
    }

    /// The URL's last path component, percent-decoded: an artifact's file name.
    static func lastComponent(of url: String) -> String {
        let path = URLComponents(string: url)?.path ?? url
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return last.removingPercentEncoding ?? last
    }

    /// The URL of a file beside `url` (same folder), query and fragment dropped.
    static func sibling(of url: String, named name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        var path = components.path
        if let slash = path.lastIndex(of: "/") { path = String(path[...slash]) } else { path = "/" }
        components.percentEncodedPath = path + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        components.query = nil
        components.fragment = nil
        return components.string ?? url
    }
}

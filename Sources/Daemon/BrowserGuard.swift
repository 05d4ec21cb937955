/// Keeps web pages away from the scheduling API. A daemon on loopback with no token trusts whoever
/// can reach it, and a browser on the same machine can: any page may send it a request (a form,
/// an image, `fetch` without reading the answer), and a name the page's site points at 127.0.0.1
/// (DNS rebinding) reaches it under that site's origin. curl, the tests and probes send neither
/// `Origin` nor `Sec-Fetch-Site`, and name the loopback address they connect to. (A browser too
/// old to send either still has its image and page loads refused by their `Accept`.)
public enum BrowserGuard {
    /// Why the request is refused, or nil. `checkHost`: only loopback names are accepted in `Host`
    /// (without a token; a token is what guards any other address).
    static func refusal(origin: String?, fetchSite: String?, accept: String?, host: String?, checkHost: Bool) -> String? {
        if let origin { return "requests from web pages are refused (Origin: \(origin.prefix(100)))" }
        if let fetchSite, fetchSite != "none" { return "requests from web pages are refused (Sec-Fetch-Site: \(fetchSite.prefix(30)))" }
        if let accept, accept.contains("text/html") || accept.contains("image/") {
            return "requests from web pages are refused (Accept: \(accept.prefix(60))): send a JSON request, as curl does"
        }
        if checkHost, let host, !isLoopback(hostHeader: host) {
            return "Host \(host.prefix(100)) is not a loopback address: the API without a token answers \(loopbackNames.joined(separator: ", ")) only"
        }
        return nil
    }

    /// The names of this machine's loopback interface, which no other machine can reach.
    public static let loopbackNames = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// `name` (a `--listen` host) is a loopback name.
    public static func isLoopback(name: String) -> Bool { loopbackNames.contains(name.lowercased()) }

    /// A `Host` header (a name and maybe a port) names a loopback address.
    static func isLoopback(hostHeader host: String) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = name[...close]
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        return isLoopback(name: String(name))
    }
}

/// Keeps web pages away from the scheduling API. A daemon on loopback with no token trusts whoever
/// can reach it, and a browser on the same machine can: any page may send it a request (a form,
/// an image, `fetch` without reading the answer), and a name the page's site points at 127.0.0.1
/// (DNS rebinding) reaches it under that site's origin. curl, the tests and probes send neither
/// `Origin` nor `Sec-Fetch-Site`, and name the loopback address they connect to.
enum BrowserGuard {
    /// Why the request is refused, or nil. `checkHost`: only loopback names are accepted in `Host`
    /// (without a token; a token is what guards any other address).
    static func refusal(origin: String?, fetchSite: String?, host: String?, checkHost: Bool) -> String? {
        if let origin { return "requests from web pages are refused (Origin: \(origin.prefix(100)))" }
        if let fetchSite, fetchSite != "none" { return "requests from web pages are refused (Sec-Fetch-Site: \(fetchSite.prefix(30)))" }
        if checkHost, let host, !isLoopback(host) {
            return "Host \(host.prefix(100)) is not a loopback address: the API without a token answers 127.0.0.1, localhost and [::1] only"
        }
        return nil
    }

    private static func isLoopback(_ host: String) -> Bool {
        var name = Substring(host.lowercased())
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = name[name.index(after: name.startIndex)..<close]
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        return ["127.0.0.1", "localhost", "::1"].contains(String(name))
    }
}

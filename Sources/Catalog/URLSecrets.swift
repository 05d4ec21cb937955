/// The secret parts a URL can carry: userinfo (`user:password@host`) and credential-like query
/// parameters (`token`, `key`, `secret`, `signature`, `X-Amz-*`, ...). A message may show a URL
/// only as `redacted`; a page, feed or redirect may publish one only if `secretPart` finds nothing.
/// Ordinary query strings (an explorer link's `?rpc=...`) are neither changed nor refused.
///
/// Works on the text, not on a parsed URL, so an address too broken to parse
/// (`http://admin:pass@[::1`) is redacted all the same.
public enum URLSecrets {
    public static let mask = "REDACTED"

    /// `url` with its userinfo and the values of its credential-like query parameters replaced
    /// by `REDACTED`: safe for logs and error messages.
    public static func redacted(_ url: String) -> String {
        let parts = Parts(url)
        var result = parts.scheme
        if let userinfo = parts.userinfo, !userinfo.isEmpty { result += mask + "@" }
        result += parts.host + parts.path
        if let query = parts.query {
            let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let name = pair.prefix { $0 != "=" }
                return isCredential(parameter: String(name)) && name.count < pair.count ? name + "=" + mask : String(pair)
            }
            result += "?" + pairs.joined(separator: "&")
        }
        return result + parts.fragment
    }

    /// What in `url` must not be published, as a phrase for an error message (never the secret
    /// itself), or nil when it carries none.
    public static func secretPart(of url: String) -> String? {
        let parts = Parts(url)
        if parts.userinfo != nil { return "credentials (user:password@host)" }
        for pair in (parts.query ?? "").split(separator: "&") {
            let name = String(pair.prefix { $0 != "=" })
            if isCredential(parameter: name) { return "a credential in its query (\(Problem.quoted(name))=...)" }
        }
        return nil
    }

    /// Whether a query parameter's name says it carries a credential (case does not matter).
    static func isCredential(parameter name: String) -> Bool {
        let name = (name.removingPercentEncodingLossy).lowercased()
        let exact: Set<String> = ["key", "sig", "auth", "authorization", "pass", "pwd"]
        let within = ["token", "secret", "password", "passwd", "signature", "credential", "apikey", "api_key", "api-key",
                      "access_key", "accesskey", "private_key", "session"]
        return exact.contains(name) || within.contains { name.contains($0) } || name.hasSuffix("_key") || name.hasSuffix("-key")
            || name.hasPrefix("x-amz-") || name.hasPrefix("x-goog-")
    }

    /// A URL cut into the pieces that matter here, by its delimiters alone.
    private struct Parts {
        var scheme = ""        // "https://", or "" when there is none
        var userinfo: String?  // before the authority's last "@"
        var host = ""
        var path = ""
        var query: String?
        var fragment = ""      // with its "#"

        init(_ url: String) {
            var rest = Substring(url)
            if let separator = rest.range(of: "://") {
                scheme = String(rest[..<separator.upperBound])
                rest = rest[separator.upperBound...]
                let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
                if let at = authority.lastIndex(of: "@") {
                    userinfo = String(authority[..<at])
                    host = String(authority[authority.index(after: at)...])
                } else {
                    host = String(authority)
                }
                rest = rest[authority.endIndex...]
            }
            if let hash = rest.firstIndex(of: "#") {
                fragment = String(rest[hash...])
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            path = String(rest)
        }
    }
}

private extension String {
    /// Percent-decoded where the escapes are valid, else as it is (`X%2DAmz-Signature` is caught).
    var removingPercentEncodingLossy: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

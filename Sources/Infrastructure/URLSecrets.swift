import Foundation

/// The secret parts a URL can carry: userinfo (`user:password@host`) and credential-like query
/// parameters (`token`, `key`, `secret`, `signature`, `X-Amz-*`, ...), also in its fragment
/// (`#access_token=...`) and in a URL nested in a parameter's value. A message may show a URL only
/// as `redacted`; a page, feed or redirect may publish one only if `secretPart` finds nothing.
/// Ordinary query strings (an explorer link's `?rpc=https://...`) are neither changed nor refused.
///
/// Works on the text, not on a parsed URL, so an address too broken to parse
/// (`http://admin:pass@[::1`, a password holding a `/`) is redacted all the same.
public enum URLSecrets {
    /// What stands in a message where a secret was.
    public static let mask = "REDACTED"

    /// `url` with its userinfo and the values of its credential-like query parameters replaced
    /// by `REDACTED`: safe for logs and error messages. Without a scheme, the text is read as
    /// libcurl reads it (`admin:pass@host:8732` is a host with credentials).
    public static func redacted(_ url: String) -> String {
        Scan(url, bareAuthority: true).redacted
    }

    /// What in `url` must not be published, as a phrase for an error message (never the secret
    /// itself), or nil when it carries none.
    public static func secretPart(of url: String) -> String? {
        Scan(url, bareAuthority: false).secretPart
    }

    /// `text`, a library's message about `url` (libcurl's error buffer), with every secret of `url`
    /// (as written or percent-decoded, the user and password also apart) and the secret parts of
    /// any URL quoted in it replaced by `REDACTED`.
    public static func redacted(_ text: String, about url: String) -> String {
        let secrets = Scan(url, bareAuthority: true).secrets.flatMap { [$0, $0.removingPercentEncodingLossy] }
        var text = text
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: mask)
        }
        return redactingURLs(in: text)
    }

    /// Whether `text` contains `://` (a byte scan: this runs on every string of every artifact).
    public static func mayHoldURL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 3 else { return false }
            for index in 0..<(bytes.count - 2) where bytes[index] == 0x3A && bytes[index + 1] == 0x2F && bytes[index + 2] == 0x2F {
                return true
            }
            return false
        }
    }

    /// Whether a query parameter's name says it carries a credential (case does not matter).
    static func isCredential(parameter name: String) -> Bool {
        let name = (name.removingPercentEncodingLossy).lowercased()
        let exact: Set<String> = ["key", "sig", "auth", "authorization", "pass", "pwd", "jwt"]
        let within = ["token", "secret", "password", "passwd", "signature", "credential", "apikey", "api_key", "api-key",
                      "access_key", "accesskey", "private_key", "session"]
        return exact.contains(name) || within.contains { name.contains($0) } || name.hasSuffix("_key") || name.hasSuffix("-key")
            || name.hasPrefix("x-amz-") || name.hasPrefix("x-goog-")
    }

    /// Free text (a message, a description, a metadata value) with every `scheme://...` in it
    /// redacted; a URL ends at white space or a quote.
    public static func redactingURLs(in text: String) -> String {
        guard mayHoldURL(text) else { return text }
        var characters = Array(text)
        var index = 0
        while let range = nextURL(in: characters, from: index) {
            let shown = Array(redacted(String(characters[range])))
            characters.replaceSubrange(range, with: shown)
            index = range.lowerBound + shown.count
        }
        return String(characters)
    }

    /// What must not be published of any `scheme://...` in free text, as `secretPart` says it.
    public static func secretPart(inText text: String) -> String? {
        guard mayHoldURL(text) else { return nil }
        let characters = Array(text)
        var index = 0
        while let range = nextURL(in: characters, from: index) {
            if let secret = secretPart(of: String(characters[range])) { return secret }
            index = range.upperBound
        }
        return nil
    }

    /// The next `scheme://...` at or after `index`: from the scheme's first letter to white space or a quote.
    private static func nextURL(in characters: [Character], from index: Int) -> Range<Int>? {
        var index = index
        while index + 2 < characters.count {
            guard characters[index] == ":", characters[index + 1] == "/", characters[index + 2] == "/" else { index += 1; continue }
            var start = index
            while start > 0, characters[start - 1].isASCII, characters[start - 1].isLetter || characters[start - 1].isNumber
                || "+.-".contains(characters[start - 1]) { start -= 1 }
            var end = index + 3
            while end < characters.count, !characters[end].isWhitespace, !"\"'<>`".contains(characters[end]) { end += 1 }
            return start..<end
        }
        return nil
    }

    /// A URL read by its delimiters alone: its redacted text, the secrets taken out (as written)
    /// and the first kind of secret found.
    private struct Scan {
        var redacted = ""
        var secrets: [String] = []
        var secretPart: String?

        /// How deep URLs nested in parameter values are read; deeper, a value holding `://` is masked
        /// whole (a hostile `a://?b=a://?b=...` must cost neither stack nor quadratic time).
        static let nestingLimit = 2
        private let depth: Int

        /// `bareAuthority`: text without a scheme starts with a host, as libcurl reads it.
        init(_ url: String, bareAuthority: Bool, depth: Int = 0) {
            self.depth = depth
            var rest = Substring(url)
            var hasAuthority = bareAuthority && !rest.hasPrefix("/")
            if let end = Self.schemeEnd(rest) {
                redacted = String(rest[..<end])
                rest = rest[end...]
                hasAuthority = true
            } else if rest.hasPrefix("//") {
                redacted = "//"
                rest = rest.dropFirst(2)
                hasAuthority = true
            }
            if hasAuthority, let (userinfo, host) = Self.userinfo(rest) {
                secretPart = "credentials (user:password@host)"
                if userinfo.isEmpty {
                    redacted += "@"
                } else {
                    redacted += URLSecrets.mask + "@"
                    secrets += [String(userinfo)] + userinfo.split(separator: ":", maxSplits: 1).map(String.init)
                }
                rest = host
            }
            let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
            redacted += rest[..<pathEnd]
            rest = rest[pathEnd...]
            if rest.first == "?" {
                let queryEnd = rest.firstIndex(of: "#") ?? rest.endIndex
                redacted += "?"
                parameters(rest.dropFirst()[..<queryEnd], in: "query")
                rest = rest[queryEnd...]
            }
            if rest.first == "#" {
                // A fragment carries parameters too (OAuth's #access_token=...), after a "?" when it holds a route.
                var fragment = rest.dropFirst()
                redacted += "#"
                if let question = fragment.firstIndex(of: "?") {
                    redacted += fragment[...question]
                    fragment = fragment[fragment.index(after: question)...]
                }
                parameters(fragment, in: "fragment")
            }
        }

        /// `name=value&...`, the values of credential-like names masked, and those of URLs nested
        /// in a value redacted (masked whole when percent-encoded).
        private mutating func parameters(_ text: Substring, in part: String) {
            let pairs = text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
                let name = String(pair[..<equals])
                let value = String(pair[pair.index(after: equals)...])
                if URLSecrets.isCredential(parameter: name) {
                    secretPart = secretPart ?? "a credential in its \(part) (\(Problem.quoted(name))=...)"
                    secrets.append(value)
                    return name + "=" + URLSecrets.mask
                }
                if depth >= Self.nestingLimit, URLSecrets.mayHoldURL(value) || value.contains("%") {
                    secretPart = secretPart ?? "URLs nested too deep in its \(part) (\(Problem.quoted(name))=...)"
                    secrets.append(value)
                    return name + "=" + URLSecrets.mask
                }
                let nested = Scan(value, bareAuthority: false, depth: depth + 1)
                if nested.secretPart != nil {
                    secretPart = secretPart ?? "credentials in a URL in its \(part) (\(Problem.quoted(name))=...)"
                    secrets += nested.secrets
                    return name + "=" + nested.redacted
                }
                let decoded = value.removingPercentEncodingLossy
                if decoded != value, case let decodedScan = Scan(decoded, bareAuthority: false, depth: depth + 1), decodedScan.secretPart != nil {
                    secretPart = secretPart ?? "credentials in a URL in its \(part) (\(Problem.quoted(name))=...)"
                    secrets += [value] + decodedScan.secrets
                    return name + "=" + URLSecrets.mask
                }
                return String(pair)
            }
            redacted += pairs.joined(separator: "&")
        }

        /// Where `scheme://` ends, if `text` starts with one.
        private static func schemeEnd(_ text: Substring) -> Substring.Index? {
            guard let first = text.first, first.isASCII, first.isLetter else { return nil }
            let name = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
            guard text[name.endIndex...].hasPrefix("://") else { return nil }
            return text.index(name.endIndex, offsetBy: 3)
        }

        /// The userinfo at the start of an authority and what follows its last "@", or nil.
        private static func userinfo(_ text: Substring) -> (Substring, Substring)? {
            let isDelimiter: (Character) -> Bool = { $0 == "/" || $0 == "?" || $0 == "#" }
            var end = text.firstIndex(where: isDelimiter) ?? text.endIndex
            if !text[..<end].contains("@"), !isHostAndPort(text[..<end]), let at = text[end...].firstIndex(of: "@") {
                // A port that is not a number ("admin:pa" of admin:pa/ss@host) starts a userinfo
                // whose password holds a "/", "?" or "#".
                end = text[at...].firstIndex(where: isDelimiter) ?? text.endIndex
            }
            guard let at = text[..<end].lastIndex(of: "@") else { return nil }
            return (text[..<at], text[text.index(after: at)...])
        }

        /// `host`, `host:port`, `[v6]` or `[v6]:port`, the port a number.
        private static func isHostAndPort(_ authority: Substring) -> Bool {
            var port: Substring
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { return false }
                port = authority[authority.index(after: close)...]
                if port.isEmpty { return true }
                guard port.first == ":" else { return false }
                port = port.dropFirst()
            } else {
                let pieces = authority.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard pieces.count <= 2 else { return false }
                guard pieces.count == 2 else { return true }
                port = pieces[1]
            }
            return !port.isEmpty && port.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }
}

private extension String {
    /// Percent-decoded where the escapes are valid, else as it is (`X%2DAmz-Signature` is caught).
    var removingPercentEncodingLossy: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, utf8.prefix(2).allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
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

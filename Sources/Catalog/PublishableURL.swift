import Infrastructure

/// The one rule for a URL shots publishes as it was given (a site's base URL and artifact host, a
/// link to another site, the catalog's `$schema`): http(s), no credential anywhere in it
/// (`URLSecrets`), and nothing that could leave an HTML attribute, a Markdown link or a
/// `_redirects` line. Artifact `url`s pass the stricter metadata gate (`Artifact.validated`).
public enum PublishableURL {
    /// Why `url` cannot be published, worded to follow a field's name; nil when it can. A `link`
    /// may carry a query and `{block_hash}`-style patterns (an explorer's `?rpc=...`); otherwise only the
    /// characters of `TextForm.url` are allowed.
    public static func problem(_ url: String, link: Bool) -> String? {
        let shown = Problem.quoted(URLSecrets.redacted(url))
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { return "expected an http(s) URL, found \(shown)" }
        if let secret = URLSecrets.secretPart(of: url) { return "must not carry \(secret); it is published" }
        if link {
            guard url.utf8.count <= 2048, url.utf8.allSatisfy({ linkBytes[Int($0)] }) else {
                return "expected a URL without spaces, quotes, <, > or control characters, found \(shown)"
            }
        } else if !TextForm.url.accepts(url) {
            return "expected \(TextForm.url.expectation), found \(shown)"
        }
        return nil
    }

    private static let linkBytes: [Bool] = (0..<256).map { byte in
        byte > 0x20 && byte < 0x7F && !"\"'<>`\\".utf8.contains(UInt8(byte))
    }
}

import Catalog
import Infrastructure
import ShotsConfiguration

/// A page source: YAML front matter between `---` lines, then a Markdown + Mustache body.
struct PageSource: Sendable {
    /// The layout to wrap the page in (`layouts/<name>.html`).
    var layout: String
    var title: String
    /// Where the page is served: `/`, `/getting-started/`, `/404.html`, `/:network/list.html`.
    var permalink: String
    /// Renders the page once per instance: `network` (Tezos), `database` (Polkadot), with the
    /// `:name` parameters in the permalink replaced.
    var each: String?
    var description: String?
    /// Whether the page is listed in sitemap.xml (not for 404 pages).
    var sitemap: Bool
    var body: String

    /// Splits and reads `text` from `path`; errors name the file and field.
    init(text: String, path: String) throws(Problem) {
        // Character-wise, so "\r\n" (one Character) ends a line as well as "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { throw Problem(origin: path, reason: "expected YAML front matter between '---' lines at the top") }
        let yaml = lines[1..<end].joined(separator: "\n")
        lines.removeSubrange(0...end)
        body = lines.joined(separator: "\n")
        let fields = (try YAMLText.load(yaml, origin: path, what: "front matter") as? [String: Any]) ?? [:]
        func string(_ key: String) throws(Problem) -> String? {
            guard let value = fields[key] else { return nil }
            guard let text = value as? String else { throw Problem(origin: path, reason: "front matter \(key): expected a string") }
            return text
        }
        guard let permalink = try string("permalink"), permalink.hasPrefix("/"),
              permalink == "/" || OutputFolder.isSafe(String(permalink.dropFirst()).trimmingSuffix("/"))
        else {
            throw Problem(origin: path, reason: "front matter permalink: expected a path starting with '/', without '..', '//' or '\\'")
        }
        self.permalink = permalink
        layout = try string("layout") ?? "default"
        title = try string("title") ?? ""
        each = try string("each")
        description = try string("description")
        sitemap = (fields["sitemap"] as? Bool) ?? true
        if each == nil, permalink.contains(":") {
            throw Problem(origin: path, reason: "front matter permalink: a :parameter needs each: (network or database) to fill it")
        }
        if each != nil, !permalink.contains(":") {
            throw Problem(origin: path, reason: "front matter permalink: a page rendered for each \(each!) needs a :parameter in it")
        }
    }
}

extension String {
    /// The string without one trailing `suffix`, if it has one.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

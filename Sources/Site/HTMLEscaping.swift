import Mustache

/// Escaping for text placed in HTML or XML: the five characters that matter and, with `markdown`,
/// the characters that start Markdown syntax (links, images, code, emphasis, escapes), written as
/// numeric references. Browsers and cmark read `&#91;` as `[`; in attributes and raw HTML it is
/// the same character, but in Markdown text it can never start a link.
enum HTML {
    static func escape(_ text: String, markdown: Bool = false) -> String {
        let special = markdown ? markdownSpecial : htmlSpecial
        guard text.utf8.contains(where: { special[Int($0)] }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case _ where scalar.isASCII && special[Int(scalar.value)]: escaped += "&#\(scalar.value);"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static let htmlSpecial: [Bool] = (0..<256).map { "<>&\"'".utf8.contains(UInt8($0)) }
    private static let markdownSpecial: [Bool] = (0..<256).map { "<>&\"'[]\\`*_!".utf8.contains(UInt8($0)) }
}

/// How `{{value}}` is escaped in every template shots renders: `HTML.escape` with Markdown
/// syntax, so a value placed in a page's Markdown is shown as written. (Also much faster than
/// Mustache's own HTML escaping, which looks up a dictionary per character.)
struct MarkupSafeContentType: MustacheContentType {
    static let name = "SHOTS_HTML"

    /// Prepended to every template shots loads, so `{{value}}` escapes through this type.
    static let pragma = "{{%CONTENT_TYPE:\(name)}}"

    static let registered: Void = MustacheContentTypes.register(MarkupSafeContentType(), named: name)

    func escapeText(_ text: String) -> String { HTML.escape(text, markdown: true) }
}

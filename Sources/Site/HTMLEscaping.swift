import Mustache

/// Escaping for text placed in HTML or XML: the five characters that matter and, with `markdown`,
/// the characters that start Markdown syntax (links, images, code, emphasis, escapes), written as
/// numeric references. Browsers and cmark read `&#91;` as `[`; in attributes and raw HTML it is
/// the same character, but in Markdown text it can never start a link.
enum HTML {
    static func escape(_ text: String, markdown: Bool = false) -> String {
        let special = markdown ? markdownSpecial : htmlSpecial
        let marker = markdown && startsMarkdownBlock(text) ? blockMarkerOffset(text) : -1
        guard marker >= 0 || text.utf8.contains(where: { special[Int($0)] }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case _ where offset == marker: escaped += "&#\(scalar.value);"
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

    /// Whether `text`, placed at the start of a Markdown line, would start a block: a heading,
    /// quote, list item, rule, table or code block (`# `, `> `, `- `, `1. `, `===`, leading spaces).
    private static func startsMarkdownBlock(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        if "#>-+=|~ \t".utf8.contains(first) { return true }
        let digits = text.utf8.prefix { (0x30...0x39).contains($0) }
        guard !digits.isEmpty, digits.count < text.utf8.count else { return false }
        let after = text.utf8.dropFirst(digits.count)
        return (after.first == UInt8(ascii: ".") || after.first == UInt8(ascii: ")"))
            && (after.count == 1 || after.dropFirst().first == 0x20 || after.dropFirst().first == 0x09)
    }

    /// The scalar that makes `text` start a block: the first, or the `.`/`)` after leading digits.
    private static func blockMarkerOffset(_ text: String) -> Int {
        text.utf8.prefix { (0x30...0x39).contains($0) }.count
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

import Mustache

/// Escaping for text placed in HTML or XML: the five characters that matter, and nothing else.
enum HTML {
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

/// The same escaping as Mustache's HTML content type, without its per-character dictionary
/// lookups: a list page of thousands of artifacts spends most of its time escaping.
struct FastHTMLContentType: MustacheContentType {
    static let name = "SHOTS_HTML"

    /// Prepended to every template shots loads, so `{{value}}` escapes through this type.
    static let pragma = "{{%CONTENT_TYPE:\(name)}}"

    static let registered: Void = MustacheContentTypes.register(FastHTMLContentType(), named: name)

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}

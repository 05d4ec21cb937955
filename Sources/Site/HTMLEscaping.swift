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

/// How `{{value}}` is escaped in every template: HTML's five characters, and also the characters
/// that start Markdown syntax (links, images, code, emphasis, escapes) as numeric references, so a
/// value placed in Markdown text is shown as written and can never become a link. Browsers and
/// cmark read `&#91;` as `[`; in attributes and raw HTML it is the same character.
/// Also faster than Mustache's own HTML escaping, which looks up a dictionary per character.
struct FastHTMLContentType: MustacheContentType {
    static let name = "SHOTS_HTML"

    /// Prepended to every template shots loads, so `{{value}}` escapes through this type.
    static let pragma = "{{%CONTENT_TYPE:\(name)}}"

    static let registered: Void = MustacheContentTypes.register(FastHTMLContentType(), named: name)

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { Self.special[Int($0)] }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "[", "]", "\\", "`", "*", "_", "!": escaped += "&#\(scalar.value);"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static let special: [Bool] = (0..<256).map { "<>&\"'[]\\`*_!".utf8.contains(UInt8($0)) }
}

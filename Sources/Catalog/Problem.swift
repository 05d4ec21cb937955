/// Something wrong with one named thing (a file, `file[index]` for a catalog entry, a folder, an
/// environment variable): the message a user reads to know what to fix.
public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public let origin: String
    public let reason: String

    public init(origin: String, reason: String) {
        self.origin = origin
        self.reason = reason
    }

    /// One line, with control characters in a path (from a folder listing) shown escaped, so a
    /// hostile file name cannot rewrite a terminal or split a log line.
    public var description: String { "\(Self.printable(origin)): \(reason)" }

    /// A value as a message quotes it: in double quotes, non-ASCII, control characters and quotes
    /// escaped, cut at 60 characters.
    public static func quoted(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" ? String($0) : $0.escaped(asASCII: true) }.joined()
        return "\"" + (escaped.count > 60 ? escaped.prefix(57) + "..." : Substring(escaped)) + "\""
    }

    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        return text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? $0.escaped(asASCII: true) : String($0) }.joined()
    }
}

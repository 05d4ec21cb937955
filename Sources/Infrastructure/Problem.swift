/// Something wrong with one named thing (a file, `file[index]` for a catalog entry, a folder, an
/// environment variable): the message a user reads to know what to fix.
public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public let origin: String
    public let reason: String
    /// The named steps of a build or publish that met it (`StepRunner`), outermost first: a
    /// publish's "Build site", then the build's own "Load templates".
    public private(set) var steps: [String] = []

    public init(origin: String, reason: String) {
        self.origin = origin
        self.reason = reason
    }

    /// The same problem, met in the named step: its message says so first.
    public func inStep(_ name: String) -> Problem {
        var named = self
        named.steps.insert(name, at: 0)
        return named
    }

    /// One line, with control characters in a path (from a folder listing) shown escaped, so a
    /// hostile file name cannot rewrite a terminal or split a log line.
    public var description: String { steps.map { "step \"\($0)\": " }.joined() + "\(Self.printable(origin)): \(reason)" }

    /// A value as a message quotes it: in double quotes, non-ASCII, control characters and quotes
    /// escaped, cut at 60 characters. The one way a message shows text it did not write itself.
    public static func quoted(_ text: String) -> String { "\"" + excerpt(text) + "\"" }

    /// A value as a message shows it without quotes (a number as it was written): escaped like
    /// `quoted`, and at most 60 characters however long the value is (only that much is read).
    /// A URL in the value is shown redacted (`URLSecrets`): a message never carries a credential.
    public static func excerpt(_ text: String) -> String {
        plainExcerpt(URLSecrets.redactingURLs(in: text))
    }

    private static func plainExcerpt(_ text: String) -> String {
        let limit = 60
        var shown = ""
        var length = 0
        for scalar in text.unicodeScalars {
            let printable = scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\""
            let piece = printable ? String(scalar) : scalar.escaped(asASCII: true)
            shown += piece
            length += piece.count
            if length > limit { return shown.prefix(limit - 3) + "..." }
        }
        return shown
    }

    /// `text` with control characters escaped, so a hostile name cannot split a log line.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        return text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? $0.escaped(asASCII: true) : String($0) }.joined()
    }
}

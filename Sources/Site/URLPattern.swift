/// A URL with parameters, such as an explorer's `https://tzkt.io/{block_hash}`, split once so
/// that filling it for ten thousand artifacts is string concatenation.
struct URLPattern: Sendable {
    private enum Segment: Sendable {
        case literal(String)
        case variable(String)
    }

    private let segments: [Segment]

    /// Splits `pattern` at every `{name}`.
    init(_ pattern: String) {
        var segments: [Segment] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { segments.append(.literal(String(rest[..<open]))) }
            segments.append(.variable(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        self.segments = segments
    }

    /// The URL with each `{name}` replaced by `values[name]` (unknown names are kept as written).
    func expand(_ values: [String: String]) -> String {
        var url = ""
        for segment in segments {
            switch segment {
            case .literal(let text): url += text
            case .variable(let name): url += values[name] ?? "{\(name)}"
            }
        }
        return url
    }
}

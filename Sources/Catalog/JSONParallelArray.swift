import Foundation

extension JSONParser {
    /// Parses a document whose top level is an array (base.json), its elements on every core, and
    /// passes each, with its position, to `transform`. Nil when the top level is not an array.
    ///
    /// A quick structural scan finds where each element starts and ends; the elements are then
    /// parsed independently. If anything is malformed, the whole document is parsed again in order,
    /// so the error names the same line and column a sequential parse would.
    public static func parseArray<Element: Sendable>(
        _ data: Data, transform: @Sendable (Int, JSONValue) -> Element
    ) throws(JSONSyntaxError) -> [Element]? {
        let outcome: Result<[Element]?, JSONSyntaxError>? = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let ranges = topLevelElements(bytes) else { return nil }
            nonisolated(unsafe) let shared = bytes
            let elements = Array(ranges.indices).parallelMap { position -> Element? in
                var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: shared[ranges[position]]))
                return (try? parser.parseDocument()).map { transform(position, $0) }
            }
            guard !elements.contains(where: { $0 == nil }) else { return nil }
            return .success(elements.map { $0! })
        }
        if let outcome { return try outcome.get() }
        guard case .array(let elements) = try parse(data) else { return nil }
        return elements.enumerated().map(transform)
    }

    /// The byte ranges of a top-level array's elements, or nil if the document does not look like
    /// one well-formed array (the caller then falls back to a full parse).
    private static func topLevelElements(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        skipWhitespace()
        var ranges: [Range<Int>] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            skipWhitespace()
            return index == bytes.count ? ranges : nil
        }
        while index < bytes.count {
            let start = index
            var depth = 0
            var inString = false
            scan: while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { break scan }
                        depth -= 1
                    case UInt8(ascii: ","): if depth == 0 { break scan }
                    default: break
                    }
                }
                index += 1
            }
            guard index < bytes.count, depth == 0, !inString else { return nil }
            ranges.append(start..<index)
            let separator = bytes[index]
            index += 1
            if separator == UInt8(ascii: "]") {
                skipWhitespace()
                return index == bytes.count ? ranges : nil
            }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
        return nil
    }
}

import Foundation

/// Writes JSON deterministically: object members sorted by name (UTF-8 byte order), two-space
/// indentation, numbers exactly as read, and no escaping beyond what RFC 8259 requires.
/// The same value always gives the same bytes, so a diff of base.json shows only what changed.
public struct JSONWriter: Sendable {
    public init() {}

    public func data(_ value: JSONValue) -> Data {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(value, into: &output, indent: 0)
        output.append(0x0A)
        return Data(output)
    }

    /// A top-level array of objects, written exactly as `data(.array(...))` would, with the
    /// elements encoded in parallel: base.json holds thousands of them.
    /// `indent` is the array's own nesting level (0 at the top of a document).
    public func data(arrayOf objects: [JSONObject], indent: Int = 0) -> Data {
        data(arrayOfChunks: [elements(of: objects, indent: indent)], indent: indent)
    }

    /// The inside of an array of objects, without brackets: each element on a new line, separated
    /// by commas. Chunks of consecutive elements can be joined into one array by `data(arrayOfChunks:)`.
    public func elements(of objects: [JSONObject], indent: Int) -> [UInt8] {
        let elements = objects.parallelMap { object in
            var bytes: [UInt8] = []
            write(.object(object), into: &bytes, indent: indent + 1)
            return bytes
        }
        var output: [UInt8] = []
        output.reserveCapacity(elements.reduce(16) { $0 + $1.count + 4 + 2 * indent })
        for (position, element) in elements.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline(into: &output, indent: indent + 1)
            output.append(contentsOf: element)
        }
        return output
    }

    /// An array made of `elements(of:indent:)` chunks, in order (empty chunks are skipped).
    public func data(arrayOfChunks chunks: [[UInt8]], indent: Int = 0) -> Data {
        var output: [UInt8] = []
        append(arrayOfChunks: chunks, indent: indent, to: &output)
        output.append(0x0A)
        return Data(output)
    }

    /// Appends the array made of `chunks` (no newline after it), for documents that embed one.
    public func append(arrayOfChunks chunks: [[UInt8]], indent: Int, to output: inout [UInt8]) {
        let present = chunks.filter { !$0.isEmpty }
        guard !present.isEmpty else { output.append(contentsOf: "[]".utf8); return }
        output.reserveCapacity(output.count + present.reduce(16) { $0 + $1.count + 1 })
        output.append(UInt8(ascii: "["))
        for (position, chunk) in present.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: chunk)
        }
        newline(into: &output, indent: indent)
        output.append(UInt8(ascii: "]"))
    }

    /// Appends `value` to `output` as it would appear nested `indent` levels deep.
    public func write(_ value: JSONValue, into output: inout [UInt8], indent: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): writeString(text, into: &output)
        case .array(let values):
            guard !values.isEmpty else { output.append(contentsOf: "[]".utf8); return }
            output.append(UInt8(ascii: "["))
            for (position, element) in values.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, indent: indent + 1)
                write(element, into: &output, indent: indent + 1)
            }
            newline(into: &output, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            guard !fields.isEmpty else { output.append(contentsOf: "{}".utf8); return }
            output.append(UInt8(ascii: "{"))
            for (position, member) in fields.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, indent: indent + 1)
                writeString(member.name, into: &output)
                output.append(UInt8(ascii: ":"))
                output.append(UInt8(ascii: " "))
                write(member.value, into: &output, indent: indent + 1)
            }
            newline(into: &output, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func newline(into output: inout [UInt8], indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // The common case, nothing to escape: copy the bytes in one go.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

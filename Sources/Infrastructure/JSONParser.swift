import Foundation

/// Why a document is not valid JSON, with the line and column where reading stopped.
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public let line: Int
    public let column: Int
    public var description: String { "not valid JSON: \(reason) at line \(line), column \(column)" }

    /// Positions `failure` in `bytes`, the whole document; lines and columns count from 1.
    init(_ failure: JSONParser.Failure, in bytes: UnsafeBufferPointer<UInt8>) {
        let end = min(failure.offset, bytes.count)
        var line = 1
        var lineStart = 0
        for offset in 0..<end where bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        self.init(reason: failure.reason, line: line, column: end - lineStart + 1)
    }

    init(reason: String, line: Int, column: Int) {
        self.reason = reason
        self.line = line
        self.column = column
    }
}

/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Foundation's JSONDecoder needs about 0.5 s to turn a 10,000-artifact base.json into a tree on
/// this machine; this parser does it several times faster, keeps non-integer numbers as written,
/// and refuses what a lenient reader would guess at (duplicate keys, invalid UTF-8, trailing data).
public struct JSONParser {
    /// Deeper documents are refused rather than risking the stack.
    public static let maximumDepth = 256

    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var parser = JSONParser(bytes: bytes)
            return Result { () throws(JSONSyntaxError) in
                do throws(Failure) { return try parser.parseDocument() } catch { throw JSONSyntaxError(error, in: bytes) }
            }
        }
        return try result.get()
    }

    /// The first byte of a document's content, after what a document may start with (a UTF-8 byte
    /// order mark, then whitespace); nil if there is nothing else.
    public static func firstSignificantByte(of data: Data) -> UInt8? {
        data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            parser.skipDocumentStart()
            return parser.index < parser.bytes.count ? parser.bytes[parser.index] : nil
        }
    }

    /// Why reading stopped and where (a byte offset): a `JSONSyntaxError` once it is positioned.
    struct Failure: Error, Sendable {
        let reason: String
        let offset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int
    /// How many containers enclose `index`.
    var depth: Int

    /// A parser at `index` of `bytes`, the whole document, inside `depth` containers: the parallel
    /// reader of a top-level array starts one at each element, at depth 1, as this one reaches it.
    init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0, depth: Int = 0) {
        self.bytes = bytes
        self.index = index
        self.depth = depth
    }

    /// A byte order mark is allowed only as the very first bytes of the document.
    mutating func skipDocumentStart() {
        if index == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
    }

    mutating func parseDocument() throws(Failure) -> JSONValue {
        skipDocumentStart()
        guard index < bytes.count else { throw failure("the document is empty") }
        let value = try parseValue()
        try finishDocument()
        return value
    }

    /// After the top-level value: only whitespace may follow.
    mutating func finishDocument() throws(Failure) {
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected data after the end of the document") }
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of document") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character \(describe(bytes[index]))")
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enterContainer()
        index += 1
        var members: [JSONObject.Member] = []
        let objectStart = index - 1
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { depth -= 1; return .object(JSONObject()) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let key = try parseString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after member name") }
            skipWhitespace()
            members.append(JSONObject.Member(name: key, value: try parseValue()))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { break }
            throw failure("expected ',' or '}' in an object")
        }
        depth -= 1
        var duplicate: String?
        let object = JSONObject(unsorted: members, duplicate: &duplicate)
        if let duplicate {
            index = objectStart
            throw failure("duplicate member name \(Problem.quoted(duplicate)) in the object")
        }
        return .object(object)
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        guard try enterArray() else { return .array([]) }
        var values: [JSONValue] = []
        while true {
            let (value, isLast) = try parseArrayElement()
            values.append(value)
            if isLast { return .array(values) }
        }
    }

    /// At a `[`: enters the array; false if it is empty (then it has been left again).
    mutating func enterArray() throws(Failure) -> Bool {
        try enterContainer()
        index += 1
        skipWhitespace()
        guard consume(UInt8(ascii: "]")) else { return true }
        depth -= 1
        return false
    }

    /// Inside an array, just after its `[` or a `,`: one element and the `,` or `]` after it
    /// (`isLast`, the array left). The parallel reader of base.json parses its elements with this
    /// too, so both read an array by the same rules.
    mutating func parseArrayElement() throws(Failure) -> (value: JSONValue, isLast: Bool) {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if consume(UInt8(ascii: ",")) { return (value, false) }
        guard consume(UInt8(ascii: "]")) else { throw failure("expected ',' or ']' in an array") }
        depth -= 1
        return (value, true)
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes, the common case for metadata.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try decodeUTF8(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character \(describe(byte)) inside a string") }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: scalars, as: UTF8.self) else {
                    throw failure("a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &scalars)
            case ..<0x20:
                throw failure("control character \(describe(byte)) inside a string")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func appendEscape(to buffer: inout [UInt8]) throws(Failure) {
        guard index < bytes.count else { throw failure("unterminated string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var code = try parseHex4()
            if (0xD800..<0xDC00).contains(code) {
                guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw failure("unpaired UTF-16 surrogate in \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired UTF-16 surrogate in \\u escape") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw failure("unpaired UTF-16 surrogate in \\u escape")
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            index -= 1
            let shown = (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : " followed by \(describe(byte))"
            throw failure("invalid escape \\\(shown)")
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        var isInteger = true
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if index < bytes.count, isDigit(bytes[index]) { throw failure("leading zeros are not allowed in numbers") }
        } else {
            guard consumeDigits() else { throw failure("expected a digit") }
        }
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard consumeDigits() else { throw failure("expected a digit after the decimal point") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            if !(consume(UInt8(ascii: "+"))) { _ = consume(UInt8(ascii: "-")) }
            guard consumeDigits() else { throw failure("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // -0 is no integer shots would write: kept as written, like 1.0.
        if isInteger, text != "-0", let value = Int64(text) { return .integer(value) }
        return .number(text)
    }

    private mutating func consumeDigits() -> Bool {
        let start = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index > start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes[index...].starts(with: expected) else { throw failure("unexpected character \(describe(bytes[index]))") }
        index += expected.count
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    /// JSON's four whitespace bytes: space, tab, line feed, carriage return. Nothing else.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func enterContainer() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private func decodeUTF8(_ range: Range<Int>) throws(Failure) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII needs no validation, and this concrete call avoids a generic one per string.
        if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        return text
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "0x%02X", byte)
    }

    /// An error at the current byte (its line and column are counted only if it is reported).
    private func failure(_ reason: String) -> Failure {
        Failure(reason: reason, offset: index)
    }
}

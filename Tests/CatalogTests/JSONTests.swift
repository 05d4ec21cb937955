import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("JSON reading and writing")
struct JSONTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test("unknown fields and numbers survive a read → write → read round trip")
    func roundTrip() throws {
        let text = #"{"extra": {"list": [1, 2.50, -0.0, 1e400, 18446744073709551616, true, null], "s": "é \"q\" \\ \n \u0001 / 𝄞"}, "n": 9223372036854775807}"#
        let value = try parse(text)
        let written = JSONWriter().data(value)
        #expect(try JSONParser.parse(written) == value)
        let output = String(decoding: written, as: UTF8.self)
        #expect(output.contains("2.50"))
        #expect(output.contains("1e400"))
        #expect(output.contains("18446744073709551616"))
        #expect(output.contains(#""é \"q\" \\ \n \u0001 / 𝄞""#))
    }

    @Test("the same value always gives the same bytes, members sorted")
    func deterministic() throws {
        let first = JSONWriter().data(try parse(#"{"b": 1, "a": {"d": 2, "c": 3}}"#))
        let second = JSONWriter().data(try parse(#"{"a": {"c": 3, "d": 2}, "b": 1}"#))
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self) == "{\n  \"a\": {\n    \"c\": 3,\n    \"d\": 2\n  },\n  \"b\": 1\n}\n")
    }

    @Test("surrogate-pair escapes decode to one character")
    func surrogates() throws {
        #expect(try parse(#""\ud834\udd1e""#) == .string("𝄞"))
    }

    @Test("malformed documents name the problem, line and column", arguments: [
        ("{\"a\": 1,\n \"b\" 2}", "expected ':' after member name at line 2, column 6"),
        ("[1, 2", "expected ',' or ']' in an array at line 1, column 6"),
        ("{\"a\": 1, \"a\": 2}", "duplicate member name \"a\" in the object at line 1, column 1"),
        ("{\"a\": 01}", "leading zeros are not allowed in numbers"),
        ("\"tab\there\"", "control character 0x09 inside a string"),
        ("{} {}", "unexpected data after the end of the document"),
        ("", "the document is empty"),
        ("\"\\ud834\"", "unpaired UTF-16 surrogate"),
        ("<html>", "unexpected character '<'"),
        ("-", "expected a digit"),
        ("1.", "expected a digit after the decimal point"),
        ("1e+", "expected a digit in the exponent"),
        ("\"\\udc00\"", "unpaired UTF-16 surrogate"),
        (String(repeating: "[", count: 300), "nesting deeper than 256 levels"),
    ])
    func syntaxErrors(text: String, message: String) {
        #expect {
            try JSONParser.parse(Data(text.utf8))
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test("a large array is parsed in parallel with the same result, and the same error position, as in order")
    func parallelArray() throws {
        let element = #"{"name": "artifact", "size": 12, "tags": ["a", "b"], "nested": {"x": 1.50}}"#
        let text = "[\n" + Array(repeating: element, count: 1000).joined(separator: ",\n") + "\n]"
        let parallel = try JSONParser.parseArray(Data(text.utf8)) { position, value in "\(position):\(value)" }
        guard case .array(let sequential) = try JSONParser.parse(Data(text.utf8)) else { Issue.record("not an array"); return }
        #expect(parallel == sequential.enumerated().map { "\($0):\($1)" })
        #expect(JSONWriter().data(arrayOf: sequential.compactMap { if case .object(let o) = $0 { o } else { nil } })
            == JSONWriter().data(.array(sequential)))

        var broken = Array(repeating: element, count: 1000)
        broken[700] = #"{"name": "artifact", "size": 12,, "tags": []}"#
        let brokenText = Data(("[\n" + broken.joined(separator: ",\n") + "\n]").utf8)
        let sequentialError = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(brokenText) }
        #expect(sequentialError?.line == 702)
        #expect {
            try JSONParser.parseArray(brokenText) { _, value in value }
        } throws: { error in
            String(describing: error) == sequentialError.map(String.init(describing:))
        }
    }

    /// Documents where the old parallel reader of base.json and the strict parser disagreed, or
    /// might: the parallel one must give the strict one's value or its error, line and column.
    static let divergent: [(String, [UInt8])] = {
        let element = Array(#"{"name": "artifact", "size": 12}"#.utf8)
        func array(_ count: Int, at position: Int, _ odd: [UInt8]) -> [UInt8] {
            [UInt8(ascii: "[")] + (0..<count).map { $0 == position ? odd : element }.joined(separator: Array(",\n".utf8)) + [UInt8(ascii: "]")]
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        return [
            ("a byte order mark before an element", array(3, at: 1, bom + element)),
            ("a byte order mark at the very start", bom + array(3, at: -1, [])),
            ("a byte order mark after leading whitespace", Array(" ".utf8) + bom + array(3, at: -1, [])),
            ("nesting 257 deep inside the top-level array", array(3, at: 2, Array(repeating: UInt8(ascii: "["), count: 256) + Array(repeating: UInt8(ascii: "]"), count: 256))),
            ("nesting 256 deep", array(3, at: 2, Array(repeating: UInt8(ascii: "["), count: 255) + Array(repeating: UInt8(ascii: "]"), count: 255))),
            ("-0", array(3, at: 1, Array("-0".utf8))),
            ("a vertical tab as whitespace", array(3, at: 1, [0x0B] + element)),
            ("a form feed as whitespace", array(3, at: 1, [0x0C] + element)),
            ("a no-break space as whitespace", array(3, at: 1, [0xC2, 0xA0] + element)),
            ("a duplicate key past the first batch", array(5000, at: 4500, Array(#"{"a": 1, "b": {"c": 2, "c": 3}}"#.utf8))),
            ("invalid UTF-8 past the first batch", array(5000, at: 4096, [0x22, 0xC3, 0x28, 0x22])),
            ("invalid UTF-8 between elements", array(3, at: 1, [0xC3] + element)),
            ("two values in one element", array(3, at: 1, Array("1 2".utf8))),
            ("a brace closing the array", Array("[1, 2}".utf8)),
            ("an empty element", Array("[1,,2]".utf8)),
            ("a trailing comma", Array("[1, 2,]".utf8)),
            ("an unterminated array", Array("[1, 2".utf8)),
            ("an unterminated string", Array(#"[1, "2]"#.utf8)),
            ("data after the array", Array("[1, 2] 3".utf8)),
            ("a truncated escape at an element's end", Array(#"["\u12", 1]"#.utf8)),
        ]
    }()

    @Test("the parallel reader of base.json follows the strict parser's rules exactly", arguments: divergent.indices)
    func parallelFollowsStrict(index: Int) throws {
        let (name, bytes) = Self.divergent[index]
        let data = Data(bytes)
        let strict = Result { () throws(JSONSyntaxError) in try JSONParser.parse(data) }
        let parallel = Result { () throws(JSONSyntaxError) in try JSONParser.parseArray(data) { $1 } }
        switch (strict, parallel) {
        case (.success(.array(let expected)), .success(let values?)): #expect(values == expected, "\(name)")
        case (.failure(let expected), .failure(let error)): #expect(error.description == expected.description, "\(name)")
        default: Issue.record("\(name): the strict parser gives \(strict), the parallel reader \(parallel)")
        }
        // The fuzz target's check reads it in batches of 1, 3 and 4096 elements, and as merge does.
        #expect(FuzzCheck.check(data).violations == [], "\(name)")
    }

    @Test("the old divergences are refused by both: a byte order mark inside, nesting 257 deep")
    func divergencesRefused() throws {
        for (name, message) in [
            ("a byte order mark before an element", "unexpected character 0xEF at line 2, column 1"),
            ("nesting 257 deep inside the top-level array", "nesting deeper than 256 levels at line 3, column 256"),
        ] {
            let bytes = Self.divergent.first { $0.0 == name }!.1
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parseArray(Data(bytes)) { $1 } }
            #expect((try? JSONParser.parseArray(Data(bytes)) { $1 }) == nil)
            do { _ = try JSONParser.parseArray(Data(bytes)) { $1 } } catch { #expect(error.description.hasSuffix(message), "\(name): \(error)") }
        }
        #expect(try JSONParser.parse(Data("-0".utf8)) == .number("-0"))
        #expect(JSONWriter().data(try JSONParser.parse(Data("[-0]".utf8))) == Data("[\n  -0\n]\n".utf8))
    }

    @Test("invalid UTF-8 is refused, not replaced")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }
}

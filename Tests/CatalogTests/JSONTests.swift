import Catalog
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

    @Test("invalid UTF-8 is refused, not replaced")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }
}

import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

/// The fuzz target's corpus (Tests/Fuzz/corpus/), replayed through the check `make fuzz` runs:
/// hostile inputs are refused at once with a short message naming what is wrong, fixtures accepted,
/// and no input breaks an invariant (parsers agree, what parses writes and reads back the same).
@Suite("the fuzz corpus, replayed")
struct FuzzCorpusTests {
    static let corpus = PackageRoot.url.appendingPathComponent("Tests/Fuzz/corpus")

    /// What each input must come to: so many artifacts accepted, or this one-line refusal
    /// (the origin is "input", as `FuzzCheck` names it).
    static let expected: [String: FuzzCheck.Outcome] = [
        "artifact-snapshot.json": .accepted(artifacts: 1),
        "artifact-tarball.json": .accepted(artifacts: 1),
        "base.json": .accepted(artifacts: 2),
        "bom-at-start.json": .accepted(artifacts: 1),
        "bom-in-element.json": .refused("input: not valid JSON: unexpected character 0xEF at line 1, column 2"),
        "bom-in-object.json": .refused("input: not valid JSON: expected a member name in quotes at line 1, column 2"),
        "depth-256.json": .refused("input[0]: expected a JSON object (one artifact), found an array"),
        "depth-257.json": .refused("input: not valid JSON: nesting deeper than 256 levels at line 1, column 257"),
        "negative-zero.json": .refused("input: block_height: expected a non-negative integer, found the number -0"),
        "number-1mib.repeat": .refused("input: filesize_bytes: expected a non-negative integer, found the number "
            + String(repeating: "9", count: 57) + "..."),
        "16m-bad-elements.repeat": .refused("input[0]: expected a JSON object (one artifact), found an integer"),
        "duplicate-key-late.json": .refused(#"input: not valid JSON: duplicate member name "filename" in the object at line 1, column 1293"#),
        "invalid-utf8-late.json": .refused("input: not valid JSON: a string is not valid UTF-8 at line 1, column 645"),
    ]

    /// A corpus file's bytes. A `.repeat` file generates its input, too large for git:
    /// `{"prefix": ..., "repeat": ..., "count": ..., "suffix": ...}`.
    static func input(_ name: String) throws -> Data {
        let data = try Data(contentsOf: corpus.appendingPathComponent(name))
        guard name.hasSuffix(".repeat") else { return data }
        let spec = try JSONParser.parse(data)
        guard case .string(let prefix)? = spec["prefix"], case .string(let piece)? = spec["repeat"],
              case .integer(let count)? = spec["count"], case .string(let suffix)? = spec["suffix"] else {
            throw Problem(origin: name, reason: "expected {\"prefix\", \"repeat\", \"count\", \"suffix\"}")
        }
        let length = piece.utf8.count * Int(count)
        var repeated = Data(piece.utf8)
        while repeated.count < length { repeated.append(repeated.prefix(length - repeated.count)) }
        return Data(prefix.utf8) + repeated.prefix(length) + Data(suffix.utf8)
    }

    @Test("every corpus file has an expected outcome")
    func everyFileListed() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { !$0.hasPrefix(".") }
        #expect(Set(names) == Set(Self.expected.keys))
    }

    @Test("each input comes to its expected outcome in under 5 seconds, breaking no invariant", arguments: expected.keys.sorted())
    func replay(name: String) throws {
        let data = try Self.input(name)
        let clock = ContinuousClock()
        let started = clock.now
        let finding = FuzzCheck.check(data)
        let elapsed = clock.now - started
        #expect(finding.violations == [])
        #expect(finding.outcome == Self.expected[name])
        #expect(elapsed < .seconds(5), "\(name) took \(elapsed)")
    }

    @Test("the generated inputs are the size they stand for: 32 MiB of 16 million elements, a number of 1 MiB")
    func generatedSizes() throws {
        #expect(try Self.input("16m-bad-elements.repeat").count == 32 << 20 + 1)
        #expect(try Self.input("number-1mib.repeat").count == MetadataFile.artifactSizeLimit)
    }
}

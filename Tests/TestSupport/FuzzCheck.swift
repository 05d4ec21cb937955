import Foundation
import Catalog
import Infrastructure

/// The fuzz target (Tests/Fuzz/, `make fuzz`) and the replay of its corpus in `make test`: reads
/// bytes as `shots merge` reads a file named as a source, and checks what must hold for any input.
public enum FuzzCheck {
    /// What merge made of an input.
    public enum Outcome: Sendable, Equatable {
        /// A catalog or one artifact, every artifact valid: how many.
        case accepted(artifacts: Int)
        /// Refused: the one line merge prints about it.
        case refused(String)
    }

    /// The outcome, and every invariant the input broke (none, unless shots has a bug).
    public struct Finding: Sendable {
        public let outcome: Outcome
        public let violations: [String]
    }

    /// Inputs up to this size are also parsed by the strict parser whole, to compare the two.
    static let comparisonLimit = MetadataFile.artifactSizeLimit
    /// The longest message an input may cause: a few fields, the expectation, 60 characters of a value.
    static let messageLimit = 600

    /// Reads `data` through the gates merge uses (`MetadataLoader`, `Artifact.validated`) and checks:
    /// - a refusal is one line of bounded length, however long the values in the input;
    /// - the parallel reader of base.json and the strict parser agree (same values, or the same
    ///   error at the same line and column), in batches of any size;
    /// - a document that parses is written (`JSONWriter`) and parsed again to the same value;
    /// - accepted artifacts, merged and written as base.json, read back as the same artifacts.
    /// Crashes, hangs and runaway memory are for the caller to catch (libFuzzer does).
    public static func check(_ data: Data) -> Finding {
        var violations: [String] = []
        let outcome = read(data, origin: "input", violations: &violations)
        if case .refused(let message) = outcome, message.count > messageLimit || message.contains(where: \.isNewline) {
            violations.append("a refusal is not one short line (\(message.count) characters): \(message.prefix(200))")
        }
        if data.count <= comparisonLimit { compareParsers(data, violations: &violations) }
        return Finding(outcome: outcome, violations: violations)
    }

    private static func read(_ data: Data, origin: String, violations: inout [String]) -> Outcome {
        let loaded: [LoadedArtifact]
        do throws(Problem) {
            switch try MetadataLoader.sourceFile(data, origin: origin) {
            case .artifact(let result): loaded = [try result.get()]
            case .catalog(let entries): loaded = try entries.map { entry throws(Problem) in try entry.get() }
            }
        } catch {
            return .refused(error.description)
        }
        var merged = MergedCatalog()
        for artifact in loaded { merged.take(artifact, fromCatalog: true) }
        guard merged.conflicts.isEmpty else { return .refused(MergeFailure.conflicts(merged.conflicts).description) }
        let written = merged.catalog.encoded()
        do throws(Problem) {
            guard case .catalog(let entries) = try MetadataLoader.sourceFile(written, origin: "written") else {
                violations.append("merged artifacts were not written as a catalog")
                return .accepted(artifacts: loaded.count)
            }
            let again = try entries.map { entry throws(Problem) in try entry.get().artifact }
            if again != merged.catalog.artifacts { violations.append("merged artifacts did not read back as the same artifacts") }
        } catch {
            violations.append("merged artifacts, written as base.json, were refused: \(error)")
        }
        return .accepted(artifacts: loaded.count)
    }

    private static func compareParsers(_ data: Data, violations: inout [String]) {
        let strict = Result { () throws(JSONSyntaxError) in try JSONParser.parse(data) }
        if case .success(let value) = strict {
            let written = JSONWriter().data(value)
            switch Result(catching: { () throws(JSONSyntaxError) in try JSONParser.parse(written) }) {
            case .success(value): break
            case .success: violations.append("a parsed document, written and parsed again, changed")
            case .failure(let error): violations.append("a parsed document, once written, is refused: \(error)")
            }
        }
        let isArray = JSONParser.firstSignificantByte(of: data) == UInt8(ascii: "[")
        for batchSize in [1, 3, 4096] {
            var elements: [JSONValue] = []
            let parallel = JSONParser.readArray(data, batchSize: batchSize, transform: { $1 }, collect: { elements += $0; return true })
            switch (parallel, strict) {
            case (.complete, .success(.array(elements))): continue
            case (.notAnArray, _) where !isArray: continue
            case (.malformed(let error), .failure(let expected)) where error.description == expected.description: continue
            default:
                violations.append("the parallel reader (batches of \(batchSize)) says \(String(describing: parallel).prefix(300)), "
                    + "the strict parser \(String(describing: strict).prefix(300))")
            }
        }
    }
}

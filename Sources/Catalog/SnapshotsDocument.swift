import Foundation

/// tezos-snapshots.json: every network's artifacts in one document, as the tezos-k8s chart reads it.
public struct SnapshotsDocument: Sendable {
    /// The schema this project ships for the document (site/tezos-snapshots.schema.json).
    public static let defaultSchemaURL = "https://xtz-shots.io/tezos-snapshots.schema.json"

    public var org: String
    public var schemaURL: String
    /// ISO 8601 UTC with `Z`.
    public var dateGenerated: String
    public var artifacts: [Artifact]

    public init(org: String, schemaURL: String, dateGenerated: String, artifacts: [Artifact]) {
        self.org = org
        self.schemaURL = schemaURL
        self.dateGenerated = dateGenerated
        self.artifacts = artifacts
    }

    public func encoded() -> Data {
        JSONWriter().data(.object([
            "$schema": .string(schemaURL),
            "data": .array(artifacts.map { .object($0.json) }),
            "date_generated": .string(dateGenerated),
            "org": .string(org),
        ]))
    }

    /// Now, or `SOURCE_DATE_EPOCH` when set, so that a rebuild from the same input is byte-identical.
    public static func generationDate(environment: [String: String]) throws(InputProblem) -> String {
        guard let epoch = environment["SOURCE_DATE_EPOCH"] else {
            return BlockTimestamp.format(secondsSince1970: UInt64(Date().timeIntervalSince1970))
        }
        guard let seconds = UInt64(epoch), seconds < 253_402_300_800 else {
            throw InputProblem(origin: "SOURCE_DATE_EPOCH", reason: "expected whole seconds since 1970 (e.g. 1700000000), found \"\(epoch)\"")
        }
        return BlockTimestamp.format(secondsSince1970: seconds)
    }
}

/// Reads several networks' base.json files into one catalog for tezos-snapshots.json.
/// Unlike a merge, an invalid entry is left out (and reported): the published document must only
/// hold what clients can use, and no base.json is rewritten, so nothing is lost.
public func unionOfCatalogs(_ paths: [String]) throws(MergeFailure) -> MergeResult {
    var result = MergeResult()
    var conflicts: [BaseCatalog.Conflict] = []
    for path in paths {
        let entries: [Result<LoadedArtifact, InputProblem>]
        do throws(InputProblem) {
            switch try MetadataLoader.loadFile(at: path) {
            case .catalog(let list): entries = list
            case .artifact: throw InputProblem(origin: path, reason: "expected a JSON array of artifacts (a base.json), found one object")
            }
        } catch {
            result.rejects.append(error)
            continue
        }
        result.filesRead += 1
        for entry in entries {
            switch entry {
            case .failure(let problem):
                result.rejects.append(problem)
            case .success(let loaded):
                result.warnings += loaded.warnings
                switch result.catalog.insert(loaded.artifact, from: loaded.origin) {
                case .added: result.added += 1
                case .conflict(let conflict): conflicts.append(conflict)
                case .unchanged, .replaced, .keptExisting: break
                }
            }
        }
    }
    guard conflicts.isEmpty else { throw .conflicts(conflicts) }
    return result
}

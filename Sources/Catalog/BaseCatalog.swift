import Foundation
import Infrastructure

/// A network's base.json: every artifact ever published there, once each (keyed by `filename`).
/// Pure: deciding what a merge keeps never touches the disk.
public struct BaseCatalog: Sendable {
    /// Two different metadata objects for the same file name.
    public struct Conflict: Sendable, Equatable, CustomStringConvertible {
        public let filename: String
        public let kept: String
        public let incoming: String
        public var description: String {
            "conflict: \(filename) has different metadata in \(Problem.printable(kept)) and in \(Problem.printable(incoming))"
        }
    }

    /// What `insert` did with an artifact.
    public enum Outcome: Sendable, Equatable {
        case added, unchanged, replaced, keptExisting
        case conflict(Conflict)
    }

    /// The artifacts by file name, each with where it came from (for messages).
    private var entries: [String: (artifact: Artifact, origin: String)] = [:]

    public init() {}

    public var count: Int { entries.count }

    public func contains(filename: String) -> Bool { entries[filename] != nil }

    /// All artifacts in catalog order (network, type, history mode, height, file name).
    public var artifacts: [Artifact] { entries.values.map(\.artifact).sorted(by: Artifact.catalogOrder) }

    /// Adds `artifact`. The same file name with identical metadata is a no-op. With different
    /// metadata it is a conflict, unless `preferNewer` lets the later `block_timestamp` win;
    /// equal timestamps stay a conflict, since nothing says which one is right.
    public mutating func insert(_ artifact: Artifact, from origin: String, preferNewer: Bool = false) -> Outcome {
        guard let existing = entries[artifact.filename] else {
            entries[artifact.filename] = (artifact, origin)
            return .added
        }
        if existing.artifact == artifact { return .unchanged }
        if preferNewer, existing.artifact.blockTimestamp != artifact.blockTimestamp {
            guard artifact.blockTimestamp > existing.artifact.blockTimestamp else { return .keptExisting }
            entries[artifact.filename] = (artifact, origin)
            return .replaced
        }
        return .conflict(Conflict(filename: artifact.filename, kept: existing.origin, incoming: origin))
    }

    /// Takes an artifact out: only withdraw and prune shrink a published catalog, and say so.
    @discardableResult
    public mutating func remove(filename: String) -> Bool {
        entries.removeValue(forKey: filename) != nil
    }

    /// base.json as shots writes it: a JSON array in catalog order, members sorted, 2-space indent.
    public func encoded() -> Data {
        JSONWriter().data(arrayOf: artifacts.map(\.json))
    }
}

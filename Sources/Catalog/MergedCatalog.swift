import Infrastructure

/// The outcome of combining metadata sources: the catalog, plus everything the user should hear
/// about. Nothing has been written yet.
public struct MergedCatalog: Sendable {
    public var catalog = BaseCatalog()
    /// Inputs that were refused; the valid artifacts around them are in `catalog`.
    public var rejects: [Problem] = []
    /// Corrections made on the way in (e.g. a `filesize` that did not match its bytes).
    public var warnings: [Problem] = []
    /// The same filename with different metadata (each needs a human, or `--prefer newer`).
    public var conflicts: [BaseCatalog.Conflict] = []
    /// Artifacts that were not in any input catalog before.
    public var added = 0
    /// Artifacts whose metadata `--prefer newer` replaced.
    public var replaced = 0
    /// Metadata files and catalogs read (files skipped by `--into` not counted).
    public var filesRead = 0

    public init() {}

    /// Adds one artifact; `fromCatalog` says it was already published (so it is not "added").
    public mutating func take(_ loaded: LoadedArtifact, fromCatalog: Bool = false, preferNewer: Bool = false) {
        warnings += loaded.warnings
        switch catalog.insert(loaded.artifact, from: loaded.origin, preferNewer: preferNewer) {
        case .added: if !fromCatalog { added += 1 }
        case .replaced: replaced += 1
        case .unchanged, .keptExisting: break
        case .conflict(let conflict): conflicts.append(conflict)
        }
    }
}

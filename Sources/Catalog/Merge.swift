import Foundation

/// What `shots merge` is asked to do.
public struct MergeRequest: Sendable {
    /// Folders of per-artifact JSON, base.json files, or single artifact files, in order.
    public var sources: [String]
    /// An existing base.json to extend: its artifacts come first, and a folder's `X.json` is read
    /// only when `X` is not already in it.
    public var into: String?
    /// On a conflict, keep the artifact with the newer `block_timestamp` instead of stopping.
    public var preferNewer = false

    public init(sources: [String], into: String? = nil, preferNewer: Bool = false) {
        self.sources = sources
        self.into = into
        self.preferNewer = preferNewer
    }
}

/// What a merge produced; nothing has been written yet.
public struct MergeResult: Sendable {
    public var catalog = BaseCatalog()
    /// Inputs that were refused; the valid artifacts around them are in `catalog`.
    public var rejects: [InputProblem] = []
    /// Corrections made on the way in (e.g. a `filesize` that did not match its bytes).
    public var warnings: [InputProblem] = []
    public var added = 0
    public var replaced = 0
    /// Metadata files and catalogs read (skipped files not counted).
    public var filesRead = 0
}

/// Why a merge wrote nothing.
public enum MergeFailure: Error, Sendable, CustomStringConvertible {
    /// The same file name with different metadata; each needs a human (or `--prefer newer`).
    case conflicts([BaseCatalog.Conflict])
    /// A catalog could not be read or holds an invalid entry: dropping it would lose artifacts.
    case unusableCatalog(InputProblem)

    public var description: String {
        switch self {
        case .conflicts(let conflicts):
            conflicts.map(\.description).joined(separator: "\n")
                + "\nnothing written: keep one version of each file, or pass --prefer newer to keep the newer block_timestamp"
        case .unusableCatalog(let problem):
            "\(problem)\nnothing written: artifacts in a base catalog are never dropped; fix that file by hand"
        }
    }
}

/// Merges artifact metadata into one base catalog. Reads files; writes nothing.
public func merge(_ request: MergeRequest) throws(MergeFailure) -> MergeResult {
    var result = MergeResult()
    var conflicts: [BaseCatalog.Conflict] = []

    func take(_ loaded: LoadedArtifact, fromCatalog: Bool) {
        result.warnings += loaded.warnings
        switch result.catalog.insert(loaded.artifact, from: loaded.origin, preferNewer: request.preferNewer) {
        case .added: if !fromCatalog { result.added += 1 }
        case .replaced: result.replaced += 1
        case .unchanged, .keptExisting: break
        case .conflict(let conflict): conflicts.append(conflict)
        }
    }

    func takeCatalog(_ entries: [Result<LoadedArtifact, InputProblem>]) throws(MergeFailure) {
        for entry in entries {
            switch entry {
            case .success(let loaded): take(loaded, fromCatalog: true)
            case .failure(let problem): throw .unusableCatalog(problem)
            }
        }
    }

    if let into = request.into, FileManager.default.fileExists(atPath: into) {
        result.filesRead += 1
        guard case .catalog(let entries) = try loadWhole(into) else {
            throw .unusableCatalog(InputProblem(origin: into, reason: "expected a JSON array of artifacts (a base.json), found one object"))
        }
        try takeCatalog(entries)
    }
    let alreadyMerged = result.catalog

    for source in request.sources {
        switch MetadataSource(path: source) {
        case nil:
            result.rejects.append(InputProblem(origin: source, reason: "no such file or folder"))
        case .folder(let folder)?:
            let names: [String]
            do throws(MetadataReadError) { names = try MetadataFile.artifactFiles(in: folder) } catch {
                result.rejects.append(InputProblem(origin: folder, reason: error.problem))
                continue
            }
            guard !names.isEmpty else {
                result.rejects.append(InputProblem(origin: folder, reason: "no artifact metadata (*.json) in this folder"))
                continue
            }
            for name in names where request.into == nil || !alreadyMerged.contains(filename: String(name.dropLast(5))) {
                result.filesRead += 1
                switch MetadataLoader.loadArtifact(at: (folder as NSString).appendingPathComponent(name)) {
                case .success(let loaded): take(loaded, fromCatalog: false)
                case .failure(let problem): result.rejects.append(problem)
                }
            }
        case .file(let path)?:
            result.filesRead += 1
            switch try loadWhole(path) {
            case .artifact(let loaded): take(loaded, fromCatalog: false)
            case .catalog(let entries): try takeCatalog(entries)
            }
        }
    }
    guard conflicts.isEmpty else { throw .conflicts(conflicts) }
    return result
}

/// A file named as a source or `--into` may be a whole catalog, so failing to read it stops the
/// merge: carrying on would write a base.json without its artifacts.
private func loadWhole(_ path: String) throws(MergeFailure) -> LoadedFile {
    do { return try MetadataLoader.loadFile(at: path) } catch { throw .unusableCatalog(error) }
}

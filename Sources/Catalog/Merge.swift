import Foundation
import Infrastructure

/// What `shots merge` is asked to do.
public struct MergeRequest: Sendable {
    /// Folders of per-artifact JSON, base.json files, or single artifact files, in order.
    public var sources: [String]
    /// An existing base.json to extend: its artifacts come first, and a folder's `X.json` is read
    /// only when `X` is not already in it.
    public var into: String?
    /// On a conflict, keep the artifact with the newer `block_timestamp` instead of stopping.
    public var preferNewer: Bool
    /// The file the result will replace. If it exists and is not an input, every artifact in it
    /// must be in the result: a merge never silently shrinks a published catalog.
    public var replacing: String?

    public init(sources: [String], into: String? = nil, preferNewer: Bool = false, replacing: String? = nil) {
        self.sources = sources
        self.into = into
        self.preferNewer = preferNewer
        self.replacing = replacing
    }
}

/// Why a merge (or a catalog) wrote nothing. Each is one line; `conflicts` lists its cases too.
public enum MergeFailure: Error, Sendable, CustomStringConvertible {
    case conflicts([BaseCatalog.Conflict])
    /// A catalog could not be read or holds an invalid entry: carrying on would lose artifacts.
    case unusableCatalog(Problem)
    /// The output exists, is not an input, and holds artifacts the result lacks.
    case wouldDrop(path: String, filenames: [String])

    public var description: String {
        switch self {
        case .conflicts(let conflicts):
            "\(conflicts.count) filename conflict(s), nothing written: keep one version of each file, or pass --prefer newer to keep the newer block_timestamp"
        case .unusableCatalog(let problem):
            "\(problem) (a catalog's artifacts are never dropped: nothing written)"
        case .wouldDrop(let path, let filenames):
            "\(path) holds \(filenames.count) artifact(s) the merge would drop (first: \(filenames[0])); "
                + "nothing written: pass it as a source or with --into to keep them, or remove it first"
        }
    }
}

/// Merges artifact metadata into one base catalog. Reads files; writes nothing.
public func merge(_ request: MergeRequest) throws(MergeFailure) -> MergedCatalog {
    var result = MergedCatalog()
    func takeCatalog(_ entries: [Result<LoadedArtifact, Problem>]) throws(MergeFailure) {
        for entry in entries {
            switch entry {
            case .success(let loaded): result.take(loaded, fromCatalog: true, preferNewer: request.preferNewer)
            case .failure(let problem): throw .unusableCatalog(problem)
            }
        }
    }

    if let into = request.into, FileManager.default.fileExists(atPath: into) {
        result.filesRead += 1
        let entries: [Result<LoadedArtifact, Problem>]
        do throws(Problem) { entries = try MetadataLoader.loadCatalog(at: into, invalidLimit: 1) } catch { throw .unusableCatalog(error) }
        try takeCatalog(entries)
    }
    let published = result.catalog

    for source in request.sources {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
            result.rejects.append(Problem(origin: source, reason: "no such file or folder"))
            continue
        }
        if isFolder.boolValue {
            let names: [String]
            do throws(MetadataReadError) { names = try MetadataFile.artifactFiles(in: source) } catch {
                result.rejects.append(Problem(origin: source, reason: error.problem))
                continue
            }
            guard !names.isEmpty else {
                result.rejects.append(Problem(origin: source, reason: "no artifact metadata (*.json) in this folder"))
                continue
            }
            let unread = names.filter { request.into == nil || !published.contains(filename: String($0.dropLast(5))) }
            result.filesRead += unread.count
            for loaded in MetadataLoader.loadArtifacts(in: source, names: unread) {
                switch loaded {
                case .success(let artifact): result.take(artifact, fromCatalog: false, preferNewer: request.preferNewer)
                case .failure(let problem): result.rejects.append(problem)
                }
            }
        } else {
            result.filesRead += 1
            let file: MetadataLoader.SourceFile
            do throws(Problem) { file = try MetadataLoader.loadSourceFile(at: source) } catch {
                throw .unusableCatalog(error)
            }
            switch file {
            case .catalog(let entries): try takeCatalog(entries)
            case .artifact(.success(let loaded)): result.take(loaded, fromCatalog: false, preferNewer: request.preferNewer)
            case .artifact(.failure(let problem)): result.rejects.append(problem)
            }
        }
    }
    guard result.conflicts.isEmpty else { throw .conflicts(result.conflicts) }
    try checkNothingDropped(from: request, in: result.catalog)
    return result
}

/// The guard behind `MergeRequest.replacing`.
private func checkNothingDropped(from request: MergeRequest, in catalog: BaseCatalog) throws(MergeFailure) {
    guard let target = request.replacing, FileManager.default.fileExists(atPath: target) else { return }
    let inputs = ([request.into].compactMap { $0 } + request.sources).map(canonicalPath)
    guard !inputs.contains(canonicalPath(target)) else { return }
    let existing: [String]
    do throws(Problem) { existing = try MetadataLoader.filenames(inCatalogAt: target) } catch {
        throw .unusableCatalog(Problem(origin: target, reason: "cannot check what replacing it would drop: \(error.reason)"))
    }
    let dropped = existing.filter { !catalog.contains(filename: $0) }
    guard dropped.isEmpty else { throw .wouldDrop(path: target, filenames: dropped) }
}

private func canonicalPath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
}

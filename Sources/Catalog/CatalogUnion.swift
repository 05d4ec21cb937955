import Foundation

/// Reads what has been published, for tezos-snapshots.json and the website: base.json files,
/// tezos-snapshots.json documents, or folders of per-artifact metadata.
///
/// A catalog that cannot be read stops the run: publishing without that network would make its
/// artifacts vanish for every client. An invalid entry or file is left out and reported: what is
/// published must only hold what clients can use, and no input is rewritten.
public func unionOfCatalogs(_ paths: [String]) throws(MergeFailure) -> MergedCatalog {
    var result = MergedCatalog()
    for path in paths {
        if let names = try? MetadataFile.artifactFiles(in: path) {
            result.filesRead += names.count
            for loaded in MetadataLoader.loadArtifacts(in: path, names: names) {
                switch loaded {
                case .success(let artifact): result.take(artifact, fromCatalog: false, preferNewer: false)
                case .failure(let problem): result.rejects.append(problem)
                }
            }
            continue
        }
        let entries: [Result<LoadedArtifact, Problem>]
        do throws(Problem) { entries = try MetadataLoader.loadCatalog(at: path) } catch {
            throw .unusableCatalog(error)
        }
        result.filesRead += 1
        for entry in entries {
            switch entry {
            case .success(let loaded): result.take(loaded, fromCatalog: false, preferNewer: false)
            case .failure(let problem): result.rejects.append(problem)
            }
        }
    }
    guard result.conflicts.isEmpty else { throw .conflicts(result.conflicts) }
    return result
}

/// Reads several networks' base.json files into one catalog for tezos-snapshots.json.
///
/// A base.json that cannot be read stops the run: publishing the document without that network
/// would make its artifacts vanish for every client. An invalid entry is left out and reported:
/// the published document must only hold what clients can use, and no base.json is rewritten.
public func unionOfCatalogs(_ paths: [String]) throws(MergeFailure) -> MergedCatalog {
    var result = MergedCatalog()
    for path in paths {
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

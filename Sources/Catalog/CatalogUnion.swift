import Foundation
import Infrastructure

/// How many invalid entries make a catalog one not to publish from (see `unionOfCatalogs`).
public let catalogRejectLimit = 100

/// Reads what has been published, for tezos-snapshots.json and the website: base.json files,
/// tezos-snapshots.json documents, or folders of per-artifact metadata.
///
/// A catalog that cannot be read stops the run: publishing without that network would make its
/// artifacts vanish for every client. An invalid entry or file is left out and reported: what is
/// published must only hold what clients can use, and no input is rewritten. A catalog with
/// `catalogRejectLimit` invalid entries stops the run there, so a hostile file of millions of bad
/// entries costs neither memory nor a million log lines.
///
/// A source that is an http(s) URL is read with `fetch`, as the reference read every network's
/// published base.json; one that cannot be fetched stops the run, naming it.
public func unionOfCatalogs(_ paths: [String], fetch: ((String) throws(Problem) -> Data)? = nil) throws(MergeFailure) -> MergedCatalog {
    var result = MergedCatalog()
    for path in paths {
        let remote = path.lowercased().hasPrefix("https://") || path.lowercased().hasPrefix("http://")
        if !remote, let names = try? MetadataFile.artifactFiles(in: path) {
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
        do throws(Problem) {
            if remote {
                guard let fetch else { throw Problem(origin: URLSecrets.redacted(path), reason: "a URL is not read here; give a file or a folder") }
                entries = try MetadataLoader.loadCatalog(try fetch(path), origin: URLSecrets.redacted(path), invalidLimit: catalogRejectLimit)
            } else {
                entries = try MetadataLoader.loadCatalog(at: path, invalidLimit: catalogRejectLimit)
            }
        } catch {
            throw .unusableCatalog(error)
        }
        let invalid = entries.compactMap { if case .failure(let problem) = $0 { problem } else { nil } }
        if invalid.count >= catalogRejectLimit {
            throw .unusableCatalog(Problem(origin: path, reason: "\(catalogRejectLimit) or more entries are invalid (the first: \(invalid[0])); not a catalog to publish from"))
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

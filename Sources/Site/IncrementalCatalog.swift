import Catalog
import Foundation

/// A Tezos site's catalog read from folders of per-artifact metadata, reusing the previous build:
/// only files whose size or modification time changed are read, plus the other files of the
/// networks they belong to. Networks where nothing changed are not loaded at all.
struct IncrementalCatalog {
    /// The artifacts of the networks that changed (every network on a first build).
    var artifacts: [Artifact] = []
    var rejects: [Problem] = []
    var warnings: [Problem] = []
    /// Networks taken from the cache as they were, and their parts of tezos-snapshots.json.
    var unchanged: [String: BuildCache.NetworkRecord] = [:]
    var unchangedChunks: [String: [UInt8]] = [:]
    /// What every metadata file holds now, for the next build's cache.
    var files: [String: BuildCache.SourceFile] = [:]

    /// Reads `folders`, using `cache` (of the build in `output`) when there is one.
    static func read(folders: [String], cache: BuildCache?, output: String?) throws(Problem) -> IncrementalCatalog {
        var listing: [(path: String, size: Int64, modified: Int64)] = []
        for folder in folders {
            let names: [String]
            do throws(MetadataReadError) { names = try MetadataFile.artifactFiles(in: folder) } catch {
                throw Problem(origin: folder, reason: error.problem)
            }
            // Stat relative to the open folder, on every core: ten thousand lookups are most of a rebuild.
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Problem(origin: folder, reason: "folder cannot be read") }
            defer { close(descriptor) }
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            let stats = names.parallelMap { name -> (size: Int64, modified: Int64)? in
                var status = stat()
                guard fstatat(descriptor, name, &status, 0) == 0 else { return nil }
                return (Int64(status.st_size), Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
            }
            for (name, status) in zip(names, stats) {
                guard let status else { continue }
                listing.append((prefix + name, status.size, status.modified))
            }
        }
        guard let cache, let output else { return try load(listing) }

        // Files that are new, changed or gone since the previous build, and the networks they touch.
        var changed: [(path: String, size: Int64, modified: Int64)] = []
        var stale = Set<String>()  // artifact file names whose metadata changed or went away
        var dirty = Set<String>()
        let present = Set(listing.map(\.path))
        for entry in listing {
            let record = cache.files[entry.path]
            if record?.size != entry.size || record?.modified != entry.modified {
                changed.append(entry)
                if let network = record?.network { dirty.insert(network) }
                if let name = record?.filename { stale.insert(name) }
            }
        }
        for (path, record) in cache.files where !present.contains(path) {
            if let network = record.network { dirty.insert(network) }
            if let name = record.filename { stale.insert(name) }
        }
        let loaded = MetadataLoader.loadArtifacts(paths: changed.map(\.path))
        for case .success(let artifact) in loaded { dirty.insert(artifact.artifact.chainName) }
        // Every page lists the networks: a network that appears starts the build over. So does an
        // artifact whose stale file is also provided by a file that did not change (a duplicate).
        if !dirty.isSubset(of: cache.networks.keys) { return try load(listing) }
        let changedPaths = Set(changed.map(\.path))
        if cache.files.contains(where: { present.contains($0.key) && !changedPaths.contains($0.key) && $0.value.filename.map(stale.contains) == true }) {
            return try load(listing)
        }

        // A changed network: its artifacts as the previous build published them, less the stale
        // ones, plus what changed. Its unchanged files are not read again.
        var result = IncrementalCatalog(unchanged: cache.networks.filter { !dirty.contains($0.key) })
        for (network, record) in result.unchanged {
            // A damaged cache is no reason to publish a wrong catalog: start over instead.
            guard let chunk = BuildCache.chunk(output: output, network: network, hash: record.chunkHash) else { return try load(listing) }
            result.unchangedChunks[network] = chunk
        }
        var merged = MergedCatalog()
        for network in dirty.sorted() {
            guard let record = cache.networks[network] else { continue }  // a network new since the last build
            guard let chunk = BuildCache.chunk(output: output, network: network, hash: record.chunkHash) else { return try load(listing) }
            guard let previous = try? JSONParser.parseArray(Data("[".utf8 + chunk + "]".utf8), transform: { _, value in
                try? Artifact.validated(value).artifact
            }), !previous.contains(where: { $0 == nil }) else { return try load(listing) }
            for case let artifact? in previous where !stale.contains(artifact.filename) {
                merged.take(LoadedArtifact(artifact: artifact, origin: "\(network) as previously built", warnings: []))
            }
        }
        result.record(loaded, for: changed, into: &merged)
        for entry in listing where result.files[entry.path] == nil {
            guard let record = cache.files[entry.path] else { continue }
            result.files[entry.path] = record
            guard let problem = record.problem else { continue }
            if record.rejected { result.rejects.append(Problem(origin: entry.path, reason: problem)) } else {
                result.warnings.append(Problem(origin: entry.path, reason: problem))
            }
        }
        guard merged.conflicts.isEmpty else { throw Problem(origin: "catalog", reason: MergeFailure.conflicts(merged.conflicts).description) }
        result.artifacts = merged.catalog.artifacts
        result.warnings += merged.warnings
        // A network whose last artifact went away disappears from every page's list: start over.
        if dirty.contains(where: { network in !result.artifacts.contains { $0.chainName == network } }) { return try load(listing) }
        // The same file name in a changed and an unchanged network is a conflict only a full read can judge.
        let keptNames = Set(result.files.values.filter { $0.network.map(result.unchanged.keys.contains) == true }.compactMap(\.filename))
        if result.artifacts.contains(where: { keptNames.contains($0.filename) }) { return try load(listing) }
        return result
    }

    /// Reads every listed file: the first build, or when the cache cannot be trusted.
    private static func load(_ entries: [(path: String, size: Int64, modified: Int64)]) throws(Problem) -> IncrementalCatalog {
        var result = IncrementalCatalog()
        var merged = MergedCatalog()
        result.record(MetadataLoader.loadArtifacts(paths: entries.map(\.path)), for: entries, into: &merged)
        guard merged.conflicts.isEmpty else { throw Problem(origin: "catalog", reason: MergeFailure.conflicts(merged.conflicts).description) }
        result.artifacts = merged.catalog.artifacts
        result.warnings = merged.warnings
        return result
    }

    /// Takes what was read from `entries` into `merged`, and records each file for the next build.
    private mutating func record(_ loaded: [Result<LoadedArtifact, Problem>], for entries: [(path: String, size: Int64, modified: Int64)],
                                 into merged: inout MergedCatalog) {
        for (entry, outcome) in zip(entries, loaded) {
            switch outcome {
            case .success(let artifact):
                merged.take(artifact)
                files[entry.path] = BuildCache.SourceFile(
                    size: entry.size, modified: entry.modified, network: artifact.artifact.chainName,
                    filename: artifact.artifact.filename, problem: artifact.warnings.first?.reason, rejected: false)
            case .failure(let problem):
                rejects.append(problem)
                files[entry.path] = BuildCache.SourceFile(
                    size: entry.size, modified: entry.modified, network: nil, filename: nil, problem: problem.reason, rejected: true)
            }
        }
    }
}

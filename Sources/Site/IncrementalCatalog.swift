import Catalog
import Infrastructure
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
    var files = SourceFileIndex()

    /// Reads `folders`, using the cache of the build in `output` (loaded by `loadCache` with its
    /// networks' catalog chunks, while the folders are listed) when there is one.
    static func read(folders: [String], output: OutputFolder?, loadCache: @escaping @Sendable () -> BuildCache?) throws(Problem) -> IncrementalCatalog {
        let loading = DispatchGroup()
        nonisolated(unsafe) var loadedCache: BuildCache?
        nonisolated(unsafe) var chunks: [String: [UInt8]] = [:]
        DispatchQueue.global().async(group: loading) {
            guard let output, let cache = loadCache() else { return }
            loadedCache = cache
            let reads = cache.networks.sorted { $0.key < $1.key }.parallelMap(minimumChunk: 1) { network, record in
                (network, BuildCache.chunk(output: output, network: network, hash: record.chunkHash))
            }
            for (network, chunk) in reads { chunks[network] = chunk }
        }
        let listing = try list(folders)
        loading.wait()
        guard let cache = loadedCache else { return try load(listing) }

        // Files that are new, changed or gone since the previous build, and the networks they touch.
        var changed: [(path: String, size: Int64, modified: Int64)] = []
        var stale = Set<String>()  // artifact file names whose metadata changed or went away
        var dirty = Set<String>()
        var known = 0
        for entry in listing {
            let stamp = cache.files.stamp(of: entry.path)
            if stamp != nil { known += 1 }
            if stamp != SourceFileIndex.Stamp(size: entry.size, modified: entry.modified) {
                changed.append(entry)
                let record = cache.files[entry.path]
                if let network = record?.network { dirty.insert(network) }
                if let name = record?.filename { stale.insert(name) }
            }
        }
        var removed: [String] = []
        if known < cache.files.count {  // only then is any file gone
            let present = Set(listing.map(\.path))
            removed = cache.files.paths.filter { !present.contains($0) }
            for path in removed {
                if let network = cache.files[path]?.network { dirty.insert(network) }
                if let name = cache.files[path]?.filename { stale.insert(name) }
            }
        }
        let loaded = MetadataLoader.loadArtifacts(paths: changed.map(\.path))
        let newNames = Set(loaded.compactMap { try? $0.get().artifact.filename })
        for case .success(let artifact) in loaded { dirty.insert(artifact.artifact.chainName) }
        // Every page lists the networks: a network that appears starts the build over.
        if !dirty.isSubset(of: cache.networks.keys) { return try load(listing) }
        // So does a name that a file outside the changed ones also provides: a stale duplicate, or
        // a new artifact named like one in an unchanged network.
        let changedPaths = Set(changed.map(\.path)).union(removed)
        if cache.files.files(named: stale.union(newNames)).contains(where: { !changedPaths.contains($0.path) }) {
            return try load(listing)
        }

        // A changed network: its artifacts as the previous build published them, less the stale
        // ones, plus what changed. Its unchanged files are not read again.
        // A damaged cache (a chunk missing or not matching its hash) is no reason to publish a wrong
        // catalog: start over instead.
        guard cache.networks.keys.allSatisfy({ chunks[$0] != nil }) else { return try load(listing) }
        var result = IncrementalCatalog(unchanged: cache.networks.filter { !dirty.contains($0.key) })
        result.unchangedChunks = chunks.filter { !dirty.contains($0.key) }
        var merged = MergedCatalog()
        for network in dirty.sorted() {
            // A chunk holds what tezos-snapshots.json lists: a network that also has artifacts the
            // document leaves out (zstd tarballs) is read again whole.
            guard let chunk = chunks[network],
                  let previous = try? JSONParser.parseArray(Data("[".utf8 + chunk + "]".utf8), transform: { _, value in
                      try? Artifact.validated(value).artifact
                  }), !previous.contains(where: { $0 == nil }), previous.count == cache.networks[network]?.count
            else { return try load(listing) }
            for case let artifact? in previous where !stale.contains(artifact.filename) {
                merged.take(LoadedArtifact(artifact: artifact, origin: "\(network) as previously built", warnings: []))
            }
        }
        // Unchanged files stay as recorded, and what was said about them is said again.
        result.files = cache.files
        for path in removed { result.files[path] = nil }
        for (path, record) in cache.files.withProblems where !changedPaths.contains(path) {
            let problem = Problem(origin: path, reason: record.problem!)
            if record.rejected { result.rejects.append(problem) } else { result.warnings.append(problem) }
        }
        result.rejects.sort { $0.origin < $1.origin }
        result.warnings.sort { $0.origin < $1.origin }
        result.record(loaded, for: changed, into: &merged)
        guard merged.conflicts.isEmpty else { throw Problem(origin: "catalog", reason: MergeFailure.conflicts(merged.conflicts).description) }
        result.artifacts = merged.catalog.artifacts
        result.warnings += merged.warnings
        // A network whose last artifact went away disappears from every page's list: start over.
        if dirty.contains(where: { network in !result.artifacts.contains { $0.chainName == network } }) { return try load(listing) }
        return result
    }

    /// Every `*.json` of the folders with its size and modification time, stat'ed relative to the
    /// open folder and on every core: ten thousand lookups are most of a rebuild's reading.
    private static func list(_ folders: [String]) throws(Problem) -> [(path: String, size: Int64, modified: Int64)] {
        var listing: [(path: String, size: Int64, modified: Int64)] = []
        for folder in folders {
            let names: [String]
            do throws(MetadataReadError) { names = try MetadataFile.artifactFiles(in: folder, sorted: false) } catch {
                throw Problem(origin: folder, reason: error.problem)
            }
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
        return listing
    }

    /// Reads every listed file: the first build, or when the cache cannot be trusted.
    private static func load(_ listing: [(path: String, size: Int64, modified: Int64)]) throws(Problem) -> IncrementalCatalog {
        let entries = listing.sorted { $0.path < $1.path }  // so messages come in the same order every time
        var result = IncrementalCatalog()
        var merged = MergedCatalog()
        result.record(MetadataLoader.loadArtifacts(paths: entries.map(\.path)), for: entries, into: &merged)
        guard merged.conflicts.isEmpty else { throw Problem(origin: "catalog", reason: MergeFailure.conflicts(merged.conflicts).description) }
        result.artifacts = merged.catalog.artifacts
        result.warnings = merged.warnings.sorted { $0.origin < $1.origin }
        result.rejects.sort { $0.origin < $1.origin }
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

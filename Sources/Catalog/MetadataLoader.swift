import Foundation
import Infrastructure

/// An artifact as read from disk: where it came from and what was corrected on the way in.
public struct LoadedArtifact: Sendable {
    public let artifact: Artifact
    /// The file, or `file[index]` inside a catalog.
    public let origin: String
    public let warnings: [Problem]

    public init(artifact: Artifact, origin: String, warnings: [Problem]) {
        self.artifact = artifact
        self.origin = origin
        self.warnings = warnings
    }
}

/// Reading and validating metadata files: the only way artifacts enter shots.
public enum MetadataLoader {
    /// What a file named on the command line holds.
    public enum SourceFile: Sendable {
        /// A catalog (a JSON array, like base.json): its entries in order, up to and including the
        /// first invalid one (a caller must not drop entries, so that one ends its use of the file;
        /// the rest is not even parsed).
        case catalog([Result<LoadedArtifact, Problem>])
        /// One artifact's metadata (a JSON object), or why it was refused.
        case artifact(Result<LoadedArtifact, Problem>)
    }

    /// Reads `<filename>.json` from a bucket folder. The file must be named after the artifact it
    /// describes: `--into` decides what to read from the name alone.
    public static func loadArtifact(at path: String) throws(Problem) -> LoadedArtifact {
        try loadNamed(at: path, validate: { value throws(Problem) in try validate(value, origin: path) }, filename: \.artifact.filename)
    }

    /// Reads, parses and validates one `<filename>.json`, which must be named after what it describes.
    static func loadNamed<Value>(
        at path: String, validate: (JSONValue) throws(Problem) -> Value, filename: (Value) -> String
    ) throws(Problem) -> Value {
        let loaded = try validate(try parse(try read(path, limit: MetadataFile.artifactSizeLimit), origin: path))
        let expected = PublishedLayout.metadataKey(of: filename(loaded))
        guard PathText.name(path) == expected else {
            throw Problem(origin: path, reason: "metadata for \"\(filename(loaded))\" must be named \"\(expected)\"")
        }
        return loaded
    }

    /// Reads the named `<filename>.json` files of a folder, on every core, in name order.
    public static func loadArtifacts(in folder: String, names: [String]) -> [Result<LoadedArtifact, Problem>] {
        loadArtifacts(paths: names.map { (folder as NSString).appendingPathComponent($0) })
    }

    /// Reads `<filename>.json` files, on every core, in the given order.
    public static func loadArtifacts(paths: [String]) -> [Result<LoadedArtifact, Problem>] {
        paths.parallelMap { path in Result { () throws(Problem) in try loadArtifact(at: path) } }
    }

    /// Reads a file named as a source. One whose JSON starts with `[` is a catalog: failing to read
    /// or parse it throws, since carrying on would lose its artifacts. Anything else is one
    /// artifact, held to the 1 MiB limit; if invalid it is refused like a file in a folder.
    public static func loadSourceFile(at path: String) throws(Problem) -> SourceFile {
        try sourceFile(try read(path, limit: MetadataFile.catalogSizeLimit), origin: path)
    }

    /// What `loadSourceFile` makes of a file's bytes.
    public static func sourceFile(_ data: Data, origin: String) throws(Problem) -> SourceFile {
        guard isCatalog(data) else {
            return .artifact(Result { () throws(Problem) in
                guard data.count <= MetadataFile.artifactSizeLimit else {
                    throw Problem(origin: origin, reason: MetadataFile.overLimit(data.count, MetadataFile.artifactSizeLimit))
                }
                return try validate(try parse(data, origin: origin), origin: origin)
            })
        }
        return .catalog(try entries(of: data, origin: origin, invalidLimit: 1))
    }

    /// Reads a file that must be a catalog: a base.json (`--into`, `shots catalog`), or a
    /// tezos-snapshots.json, whose `data` array is one. Every entry, valid or not, up to and
    /// including the `invalidLimit`-th invalid one (then reading stops: memory stays bounded
    /// however many bad entries follow).
    public static func loadCatalog(at path: String, invalidLimit: Int = .max) throws(Problem) -> [Result<LoadedArtifact, Problem>] {
        try loadCatalog(try read(path, limit: MetadataFile.catalogSizeLimit), origin: path, invalidLimit: invalidLimit)
    }

    /// The same for a catalog read elsewhere (fetched over HTTP), named `origin` in every problem.
    public static func loadCatalog(_ data: Data, origin path: String, invalidLimit: Int = .max) throws(Problem) -> [Result<LoadedArtifact, Problem>] {
        if isCatalog(data) { return try entries(of: data, origin: path, invalidLimit: invalidLimit) }
        guard case .array(let artifacts)? = try parse(data, origin: path)["data"] else {
            throw Problem(origin: path, reason: "expected a JSON array of artifacts (a base.json) or a tezos-snapshots.json document")
        }
        var entries: [Result<LoadedArtifact, Problem>] = []
        var invalid = 0
        for (position, entry) in artifacts.enumerated() {
            entries.append(Result { () throws(Problem) in try validate(entry, origin: "\(path)[\(position)]") })
            if case .failure = entries.last { invalid += 1 }
            if invalid >= invalidLimit { break }
        }
        return entries
    }

    /// The `filename` of every entry of a catalog, valid or not: enough to know what replacing it
    /// would drop, without the cost of validating it.
    public static func filenames(inCatalogAt path: String) throws(Problem) -> [String] {
        let data = try read(path, limit: MetadataFile.catalogSizeLimit)
        guard isCatalog(data) else { throw Problem(origin: path, reason: "expected a JSON array of artifacts (a base.json)") }
        var names: [String] = []
        try readCatalog(data, origin: path, transform: { _, entry -> String? in
            if case .string(let name)? = entry["filename"] { name } else { nil }
        }, collect: { names += $0.compactMap { $0 }; return true })
        return names
    }

    /// Parses a catalog's entries (in parallel) and validates each, naming them `file[index]`.
    private static func entries(of data: Data, origin: String, invalidLimit: Int) throws(Problem) -> [Result<LoadedArtifact, Problem>] {
        var entries: [Result<LoadedArtifact, Problem>] = []
        var invalid = 0
        try readCatalog(data, origin: origin, transform: { position, entry in
            Result { () throws(Problem) in try validate(entry, origin: "\(origin)[\(position)]") }
        }, collect: { batch in
            for (offset, entry) in batch.enumerated() {
                guard case .failure = entry else { continue }
                invalid += 1
                if invalid >= invalidLimit {
                    entries += batch[...offset]
                    return false
                }
            }
            entries += batch
            return true
        })
        return entries
    }

    /// Reads a catalog's array in file order (`JSONParser.readArray`), each entry held to the limit
    /// of one artifact's metadata. Nothing but whitespace (after a byte order mark) is an empty
    /// catalog: that is how the reference pipeline starts a new bucket.
    private static func readCatalog<Entry: Sendable>(
        _ data: Data, origin: String, transform: @Sendable (Int, JSONValue) -> Entry, collect: ([Entry]) -> Bool
    ) throws(Problem) {
        if JSONParser.firstSignificantByte(of: data) == nil { return }
        switch JSONParser.readArray(data, elementLimit: MetadataFile.artifactSizeLimit, transform: transform, collect: collect) {
        case .complete, .stopped: return
        case .notAnArray: throw Problem(origin: origin, reason: "expected a JSON array of artifacts (a base.json)")
        case .malformed(let error): throw Problem(origin: origin, reason: error.description)
        case .oversized(let position, let size):
            throw Problem(origin: "\(origin)[\(position)]", reason: MetadataFile.overLimit(size, MetadataFile.artifactSizeLimit))
        }
    }

    /// A catalog starts with `[`, or holds nothing at all (after a byte order mark and whitespace,
    /// as the parser reads a document's start).
    private static func isCatalog(_ data: Data) -> Bool {
        let first = JSONParser.firstSignificantByte(of: data)
        return first == nil || first == UInt8(ascii: "[")
    }

    private static func read(_ path: String, limit: Int) throws(Problem) -> Data {
        do { return try MetadataFile.read(path, limit: limit) } catch { throw Problem(origin: path, reason: error.problem) }
    }

    private static func parse(_ data: Data, origin: String) throws(Problem) -> JSONValue {
        do { return try JSONParser.parse(data) } catch { throw Problem(origin: origin, reason: error.description) }
    }

    private static func validate(_ value: JSONValue, origin: String) throws(Problem) -> LoadedArtifact {
        do {
            let validated = try Artifact.validated(value)
            return LoadedArtifact(
                artifact: validated.artifact, origin: origin,
                warnings: validated.warnings.map { Problem(origin: origin, reason: $0) })
        } catch {
            throw Problem(origin: origin, reason: error.description)
        }
    }
}

import Infrastructure

/// One published artifact's metadata (a `<filename>.json`, or an element of base.json).
///
/// The validated JSON object is the source of truth: it is what gets written back, so fields
/// shots does not know survive untouched. The typed properties are checked views of it.
/// Immutable, and a class so that sorting ten thousand of them moves references, not fields.
public final class Artifact: Sendable {
    /// The whole metadata object, with `filesize` corrected to match `filesize_bytes`.
    public let json: JSONObject

    public let filename: String
    public let url: String
    public let sha256: String
    public let chainName: String
    public let historyMode: HistoryMode
    public let artifactType: ArtifactType
    public let blockHash: String
    public let blockHeight: Int64
    public let blockTimestamp: BlockTimestamp
    public let filesizeBytes: Int64
    public let filesize: String
    public let tezosVersion: TezosVersion
    /// Only for `tezos-snapshot`: the octez snapshot format version.
    public let snapshotVersion: Int64?
    /// A tarball's compression (`compression`, LZ4 when absent).
    public let compression: Compression

    public var kind: ArtifactKind { ArtifactKind(artifactType, historyMode, compression) }

    init(
        json: JSONObject, filename: String, url: String, sha256: String, chainName: String,
        historyMode: HistoryMode, artifactType: ArtifactType, blockHash: String, blockHeight: Int64,
        blockTimestamp: BlockTimestamp, filesizeBytes: Int64, filesize: String, tezosVersion: TezosVersion,
        snapshotVersion: Int64?, compression: Compression
    ) {
        self.json = json
        self.filename = filename
        self.url = url
        self.sha256 = sha256
        self.chainName = chainName
        self.historyMode = historyMode
        self.artifactType = artifactType
        self.blockHash = blockHash
        self.blockHeight = blockHeight
        self.blockTimestamp = blockTimestamp
        self.filesizeBytes = filesizeBytes
        self.filesize = filesize
        self.tezosVersion = tezosVersion
        self.snapshotVersion = snapshotVersion
        self.compression = compression
    }

    /// The order of base.json and tezos-snapshots.json: by network, then kind, then height.
    public static func catalogOrder(_ lhs: Artifact, _ rhs: Artifact) -> Bool {
        if lhs.chainName != rhs.chainName { return lhs.chainName < rhs.chainName }
        if lhs.artifactType != rhs.artifactType { return lhs.artifactType < rhs.artifactType }
        if lhs.historyMode != rhs.historyMode { return lhs.historyMode < rhs.historyMode }
        if lhs.compression != rhs.compression { return lhs.compression < rhs.compression }
        if lhs.blockHeight != rhs.blockHeight { return lhs.blockHeight < rhs.blockHeight }
        return lhs.filename < rhs.filename
    }
}

extension Artifact: Hashable {
    /// Two artifacts are the same when their metadata is the same, unknown fields included.
    public static func == (lhs: Artifact, rhs: Artifact) -> Bool { lhs.json == rhs.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(filename) }
}

import Infrastructure

/// An artifact of either family as publish, withdraw, prune and the preview's health see it, from
/// metadata that passed its family's validation gate (`Artifact` for Tezos, `PolkadotArtifact`
/// for Polkadot and Kusama).
public struct PublishedArtifact: Sendable, PermalinkCandidate {
    /// What a permalink stands for within a network: a Tezos kind, or a Substrate database.
    public enum Kind: Sendable, Hashable {
        case tezos(ArtifactKind)
        case substrate(database: String)
    }

    /// The artifact's object name in its store, as its metadata gives it.
    public var filename: String
    /// 64 lowercase hex digits of the file as stored.
    public var sha256: String
    /// Its size, what HEAD must confirm before a permalink leads to it.
    public var filesizeBytes: Int64
    public var blockHeight: Int64
    /// The block's time (Polkadot: when the snapshot was taken).
    public var blockTimestamp: BlockTimestamp
    /// The network (Tezos `chain_name`) or chain (Polkadot `chain`) whose store holds it.
    public var network: String
    /// What its permalinks stand for.
    public var kind: Kind
    /// The octez major version that can import it; nil for Substrate databases.
    public var compatibilityMajor: Int64?
    public var blockHash: String
    /// Whether it is a tarball of a data dir (rather than a node's `.rolling` export).
    public var isTarball: Bool
    /// How a tarball is compressed.
    public var compression: Compression
    /// The bytes of its tar stream once decompressed, as pack records it (`uncompressed_size_bytes`,
    /// an extra field the published schema allows); nil for artifacts packed before it existed.
    public var uncompressedSizeBytes: Int64?

    /// The metadata field that records `uncompressedSizeBytes`.
    public static let uncompressedSizeField = "uncompressed_size_bytes"

    /// A Tezos artifact that passed `Artifact.validated`.
    public init(_ artifact: Artifact) {
        (filename, sha256, filesizeBytes, blockHeight, blockTimestamp, network) =
            (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.blockHeight, artifact.blockTimestamp, artifact.chainName)
        kind = .tezos(artifact.kind)
        compatibilityMajor = artifact.compatibilityMajor
        blockHash = artifact.blockHash
        isTarball = artifact.artifactType == .tarball
        compression = artifact.compression
        uncompressedSizeBytes = Self.uncompressedSize(artifact.json)
    }

    /// A Polkadot or Kusama snapshot that passed `PolkadotArtifact.validated`.
    public init(_ artifact: PolkadotArtifact) {
        (filename, sha256, filesizeBytes, blockHeight, blockTimestamp, network) =
            (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.blockHeight, artifact.created, artifact.chain)
        kind = .substrate(database: artifact.database)
        compatibilityMajor = artifact.compatibilityMajor
        blockHash = artifact.blockHash
        isTarball = true
        compression = .lz4
        uncompressedSizeBytes = Self.uncompressedSize(artifact.json)
    }

    private static func uncompressedSize(_ metadata: JSONObject) -> Int64? {
        if case .integer(let bytes)? = metadata[uncompressedSizeField], bytes >= 0 { bytes } else { nil }
    }

    /// From one metadata object, through the validation gate of the family the site shows.
    public init(_ metadata: JSONValue, family: ChainFamily, origin: String) throws(Problem) {
        do throws(ArtifactError) {
            switch family {
            case .tezos: self.init(try Artifact.validated(metadata).artifact)
            case .polkadot: self.init(try PolkadotArtifact.validated(metadata))
            }
        } catch { throw Problem(origin: origin, reason: "\(error)") }
    }
}

import Catalog

/// What publish needs of an artifact of either family, from metadata that passed its family's
/// validation gate (`Artifact` for Tezos, `PolkadotArtifact` for Polkadot and Kusama).
struct PublishedArtifact {
    var filename: String
    var sha256: String
    var filesizeBytes: Int64
    var blockHeight: Int64
    /// The network (Tezos `chain_name`) or chain (Polkadot `chain`) whose store holds it.
    var network: String
    /// The permalinks of its kind, which lead to it when it is the newest.
    var permalinks: PermalinkNames
    /// The block's time (Polkadot: when the snapshot was taken).
    var blockTimestamp: BlockTimestamp

    init(_ artifact: Artifact) {
        (filename, sha256, filesizeBytes, blockHeight, network) =
            (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.blockHeight, artifact.chainName)
        permalinks = .tezos(network: artifact.chainName, kind: artifact.kind)
        blockTimestamp = artifact.blockTimestamp
    }

    init(_ artifact: PolkadotArtifact) {
        (filename, sha256, filesizeBytes, blockHeight, network) =
            (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.blockHeight, artifact.chain)
        permalinks = .polkadot(chain: artifact.chain, database: artifact.database)
        blockTimestamp = artifact.created
    }

    /// From one metadata object; Polkadot metadata names its `chain`, Tezos its `chain_name`.
    init(_ metadata: JSONValue, origin: String) throws(Problem) {
        do throws(ArtifactError) {
            if metadata["chain"] != nil { self.init(try PolkadotArtifact.validated(metadata)) } else { self.init(try Artifact.validated(metadata).artifact) }
        } catch { throw Problem(origin: origin, reason: "\(error)") }
    }
}

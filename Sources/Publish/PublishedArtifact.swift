import Catalog

/// What publish needs of an artifact of either family, from metadata that passed its family's
/// validation gate (`Artifact` for Tezos, `PolkadotArtifact` for Polkadot and Kusama).
struct PublishedArtifact {
    var filename: String
    var sha256: String
    var filesizeBytes: Int64
    /// The network (Tezos `chain_name`) or chain (Polkadot `chain`) whose store holds it.
    var network: String

    init(_ metadata: JSONValue, origin: String) throws(Problem) {
        if metadata["chain"] != nil {
            do throws(ArtifactError) {
                let artifact = try PolkadotArtifact.validated(metadata)
                (filename, sha256, filesizeBytes, network) = (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.chain)
            } catch { throw Problem(origin: origin, reason: "\(error)") }
        } else {
            do throws(ArtifactError) {
                let artifact = try Artifact.validated(metadata).artifact
                (filename, sha256, filesizeBytes, network) = (artifact.filename, artifact.sha256, artifact.filesizeBytes, artifact.chainName)
            } catch { throw Problem(origin: origin, reason: "\(error)") }
        }
    }
}

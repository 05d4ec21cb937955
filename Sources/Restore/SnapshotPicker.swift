import Catalog
import Infrastructure

/// The artifact a node should start from, chosen from tezos-snapshots.json by the rules of the
/// tezos-k8s chart's picker: same `chain_name`, `history_mode` and `artifact_type`; among them
/// those built by the node's octez major version when there are any (else all of them); then the
/// highest `block_height`.
public struct SnapshotPicker: Sendable {
    public var network: String
    public var historyMode: HistoryMode
    public var artifactType: ArtifactType
    /// The node's octez major version, when known.
    public var octezMajor: Int64?

    public init(network: String, historyMode: HistoryMode, artifactType: ArtifactType, octezMajor: Int64?) {
        self.network = network
        self.historyMode = historyMode
        self.artifactType = artifactType
        self.octezMajor = octezMajor
    }

    /// The chosen artifact, or nil when none matches.
    public func pick(_ artifacts: [Artifact]) -> Artifact? {
        var matching = artifacts.filter { $0.chainName == network && $0.historyMode == historyMode && $0.artifactType == artifactType }
        if let octezMajor {
            let sameMajor = matching.filter { $0.tezosVersion.major == octezMajor }
            if !sameMajor.isEmpty { matching = sameMajor }
        }
        // The chart sorts by height (a stable sort) and takes the last: among equals, the later one.
        return matching.reduce(nil) { best, artifact in
            guard let best, best.blockHeight > artifact.blockHeight else { return artifact }
            return best
        }
    }

    /// What was asked, for messages.
    public var description: String {
        "\(network) \(historyMode.rawValue) \(artifactType.rawValue)" + (octezMajor.map { " built by octez \($0)" } ?? "")
    }
}

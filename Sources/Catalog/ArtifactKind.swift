import Infrastructure

/// `history_mode`: how much chain history the node data holds.
public enum HistoryMode: String, Sendable, Hashable, CaseIterable, Comparable {
    case rolling, full, archive

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// `artifact_type`: a tarball of the node's data directory, or a snapshot exported by octez-node.
public enum ArtifactType: String, Sendable, Hashable, CaseIterable, Comparable {
    case tarball
    case tezosSnapshot = "tezos-snapshot"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A kind of artifact on one network: what a permalink and a section of the network page stand for.
public struct ArtifactKind: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let artifactType: ArtifactType
    public let historyMode: HistoryMode
    /// A tarball's compression; always LZ4 for a node's snapshot export, which is not compressed by shots.
    public let compression: Compression

    public init(_ artifactType: ArtifactType, _ historyMode: HistoryMode, _ compression: Compression = .lz4) {
        self.artifactType = artifactType
        self.historyMode = historyMode
        self.compression = artifactType == .tarball ? compression : .lz4
    }

    /// The kinds xtz-shots publishes, in the order its pages show them.
    public static let published: [ArtifactKind] = [
        ArtifactKind(.tezosSnapshot, .rolling), ArtifactKind(.tarball, .rolling), ArtifactKind(.tarball, .archive),
    ]

    /// The published kinds, then any other kind the artifacts have (e.g. full-mode tarballs), in page order.
    public static func shown(for artifacts: [Artifact]) -> [ArtifactKind] {
        published + Set(artifacts.map(\.kind)).subtracting(published).sorted()
    }

    /// The permalink to the newest artifact: `rolling`, `rolling-tarball`, `archive-tarball`, and
    /// `rolling-tarball-zstd` for zstd tarballs, which the LZ4 clients must never be led to.
    public var permalink: String {
        switch artifactType {
        case .tezosSnapshot: historyMode.rawValue
        case .tarball: "\(historyMode.rawValue)-tarball" + compressionSuffix
        }
    }

    /// The permalink to the newest artifact's metadata: `rolling-snapshot-metadata`,
    /// `rolling-tarball-metadata`, `rolling-tarball-zstd-metadata`.
    public var metadataPermalink: String {
        switch artifactType {
        case .tezosSnapshot: "\(historyMode.rawValue)-snapshot-metadata"
        case .tarball: "\(historyMode.rawValue)-tarball\(compressionSuffix)-metadata"
        }
    }

    private var compressionSuffix: String { compression == .lz4 ? "" : "-" + compression.rawValue }

    public var description: String {
        "\(historyMode.rawValue) \(artifactType.rawValue)" + (compression == .lz4 ? "" : " (\(compression.rawValue))")
    }

    /// Page order: the published kinds first, as listed there, then any other by type, mode and compression.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        let left = published.firstIndex(of: lhs) ?? published.count
        let right = published.firstIndex(of: rhs) ?? published.count
        return (left, lhs.artifactType, lhs.historyMode, lhs.compression) < (right, rhs.artifactType, rhs.historyMode, rhs.compression)
    }
}

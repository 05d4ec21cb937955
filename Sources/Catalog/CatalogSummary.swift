import Infrastructure

/// One line of a catalog overview: a kind of artifact on a network and what its permalink shows.
public struct CatalogSummaryRow: Sendable, Equatable {
    public let network: String
    public let kind: ArtifactKind
    public let count: Int
    /// The artifact the permalink points at, chosen by `LatestPolicy`.
    public let latest: Artifact

    /// A row per (network, kind) present, networks by name, kinds in page order.
    public static func rows(for artifacts: [Artifact]) -> [CatalogSummaryRow] {
        let counts = Dictionary(grouping: artifacts) { "\($0.chainName)\u{0}\($0.kind)" }.mapValues(\.count)
        return LatestPolicy.latestByNetwork(artifacts).sorted { $0.key < $1.key }.flatMap { network, latestByKind in
            latestByKind.sorted { $0.key < $1.key }.map { kind, latest in
                CatalogSummaryRow(network: network, kind: kind, count: counts["\(network)\u{0}\(kind)"]!, latest: latest)
            }
        }
    }
}

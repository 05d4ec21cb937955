import Infrastructure

/// Anything a permalink can point at: what the latest policy needs to know to rank it.
public protocol PermalinkCandidate {
    /// The octez major version whose nodes can import it; nil when unknown or not octez.
    var compatibilityMajor: Int64? { get }
    var blockHeight: Int64 { get }
    var blockTimestamp: BlockTimestamp { get }
    var filename: String { get }
}

extension Artifact: PermalinkCandidate {
    public var compatibilityMajor: Int64? { tezosVersion.octezMajor }
}

/// Which artifact of a kind a permalink and the network page show: the most compatible of the
/// newest. The reference site serves the lowest octez major version present, so that operators
/// still on the older release can import what the permalink gives them; within that major the
/// highest block wins. Pre-releases (`rc`, `beta`) count as their major: an rc snapshot imports
/// into that major's release. Artifacts with no octez version only win when none has one.
public enum LatestPolicy {
    /// The artifact the permalink should point at, or nil for no candidates.
    public static func latest<Candidate: PermalinkCandidate>(of candidates: some Sequence<Candidate>) -> Candidate? {
        candidates.max { ranksBelow($0, $1) }
    }

    /// `latest` for every (network, kind) present: `[chain_name: [kind: artifact]]`.
    public static func latestByNetwork(_ artifacts: [Artifact]) -> [String: [ArtifactKind: Artifact]] {
        Dictionary(grouping: artifacts, by: \.chainName).mapValues { network in
            Dictionary(grouping: network, by: \.kind).compactMapValues { latest(of: $0) }
        }
    }

    /// Strict order, lowest rank first: versioned beats unversioned, a lower major beats a higher
    /// one, then a higher block, then a later timestamp, then the greater file name (so the choice
    /// never depends on input order).
    static func ranksBelow<Candidate: PermalinkCandidate>(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
        switch (lhs.compatibilityMajor, rhs.compatibilityMajor) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (let left?, let right?) where left != right: return left > right
        default: break
        }
        if lhs.blockHeight != rhs.blockHeight { return lhs.blockHeight < rhs.blockHeight }
        if lhs.blockTimestamp != rhs.blockTimestamp { return lhs.blockTimestamp < rhs.blockTimestamp }
        return lhs.filename < rhs.filename
    }
}

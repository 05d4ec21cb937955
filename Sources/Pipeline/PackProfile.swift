import Catalog
import Infrastructure
import Foundation

/// What to pack from a data dir and how to name and describe it. A profile is data: adding a chain
/// or an artifact kind is adding a profile, not a code path.
public struct PackProfile: Sendable, Equatable {
    public var name: String
    public var family: ChainFamily
    /// The data dir's subfolder that tar paths start from.
    public var root: String
    /// What to take from `root`; empty for everything in it.
    public var members: [String]
    public var exclusions: ExclusionRules
    public var artifactType: ArtifactType
    public var historyMode: HistoryMode?
    /// A tarball's compression.
    public var compression: Compression = .lz4
    /// The artifact's file name, with `{network}`, `{height}` and `{database}` filled in.
    public var filename: String
    /// The node's own data folder under the data dir, for a snapshot export.
    public var nodeDataDir: String? = nil

    /// The node identity, peer list, lock and key folders never leave the data dir.
    static let tezosExclusions = ExclusionRules(["node/data/identity.json", "node/data/peers.json", "node/data/lock", "lost+found"])
    static let substrateExclusions = ExclusionRules(["keystore", "network", "lost+found"])

    /// What a tarball of `family` never carries: the node's own identity and keys, which a restore
    /// therefore keeps as they are in its destination.
    public static func exclusions(of family: ChainFamily) -> ExclusionRules {
        family == .tezos ? tezosExclusions : substrateExclusions
    }

    /// Where a Substrate node keeps a chain under its base path (`chains/ksmcc3` for Kusama).
    static func polkadotRoot(_ chain: String) -> String { "chains/" + PolkadotArtifact.chainFolders[chain]! }

    public static let builtIn: [PackProfile] = [
        PackProfile(name: "tezos-archive", family: .tezos, root: ".", members: ["node"], exclusions: tezosExclusions,
                    artifactType: .tarball, historyMode: .archive, filename: "tezos-{network}-archive-tarball-{height}.lz4"),
        PackProfile(name: "tezos-rolling", family: .tezos, root: ".", members: ["node"], exclusions: tezosExclusions,
                    artifactType: .tarball, historyMode: .rolling, filename: "tezos-{network}-rolling-tarball-{height}.lz4"),
        // zstd tarballs: smaller, for clients that read zstd; their own names and permalinks.
        PackProfile(name: "tezos-archive-zstd", family: .tezos, root: ".", members: ["node"], exclusions: tezosExclusions,
                    artifactType: .tarball, historyMode: .archive, compression: .zstd, filename: "tezos-{network}-archive-tarball-{height}." + Compression.zstd.fileExtension),
        PackProfile(name: "tezos-rolling-zstd", family: .tezos, root: ".", members: ["node"], exclusions: tezosExclusions,
                    artifactType: .tarball, historyMode: .rolling, compression: .zstd, filename: "tezos-{network}-rolling-tarball-{height}." + Compression.zstd.fileExtension),
        PackProfile(name: "tezos-rolling-snapshot", family: .tezos, root: ".", members: ["node"], exclusions: tezosExclusions,
                    artifactType: .tezosSnapshot, historyMode: .rolling, filename: "{network}-{height}.rolling", nodeDataDir: "node/data"),
        PackProfile(name: "polkadot", family: .polkadot, root: polkadotRoot("polkadot"), members: [], exclusions: substrateExclusions,
                    artifactType: .tarball, historyMode: nil, filename: "polkadot-{height}.{database}.tar.lz4"),
        PackProfile(name: "kusama", family: .polkadot, root: polkadotRoot("kusama"), members: [], exclusions: substrateExclusions,
                    artifactType: .tarball, historyMode: nil, filename: "kusama-{height}.{database}.tar.lz4"),
    ]

    /// The permalinks that will lead to the newest artifact of this profile (`PermalinkNames`):
    /// for a network (Tezos) or a database (Polkadot, whose chain is the profile's).
    public func permalinks(network: String, database: String?, layout: PublishedLayout) -> PermalinkNames {
        switch family {
        case .tezos: PublishedLayout.permalinks(network: network, kind: ArtifactKind(artifactType, historyMode ?? .rolling, compression))
        case .polkadot: layout.permalinks(chain: chain, database: database ?? "")
        }
    }

    /// The polkadot chain a Substrate profile packs (its name).
    public var chain: String { name }

    /// Whether the artifact is a tarball of the data dir (rather than a node's snapshot export).
    public var isTarball: Bool { artifactType == .tarball }

    /// Whether `name` is what some built-in profile names its artifacts, as prune tells an
    /// artifact a failed run left (no `.json`) from an object of the operator's own.
    public static func isArtifactName(_ name: String) -> Bool {
        builtIn.contains { profile in
            let pattern = "^" + NSRegularExpression.escapedPattern(for: profile.filename)
                .replacingOccurrences(of: "\\{network\\}", with: "[a-z0-9][a-z0-9_-]*")
                .replacingOccurrences(of: "\\{height\\}", with: "[0-9]+")
                .replacingOccurrences(of: "\\{database\\}", with: "[a-z]+") + "$"
            return name.range(of: pattern, options: .regularExpression) != nil
        }
    }

    public func filename(network: String, height: Int64, database: String?) -> String {
        filename.replacingOccurrences(of: "{network}", with: network)
            .replacingOccurrences(of: "{height}", with: String(height))
            .replacingOccurrences(of: "{database}", with: database ?? "")
    }
}

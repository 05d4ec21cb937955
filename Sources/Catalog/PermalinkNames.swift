/// The one table of permalinks: where the newest artifact of a kind, and its metadata, can always
/// be found. Pack reports these names, the site's redirect plan writes them, and publish moves them.
public struct PermalinkNames: Sendable, Equatable {
    /// Object names in the network's (or chain's) bucket.
    public let bucketKey: String
    public let metadataBucketKey: String
    /// Paths on the main site.
    public let sitePath: String
    public let metadataSitePath: String
    /// The site-wide short form of `sitePath` (`/dot/rocksdb`), for chains that have a short name.
    public let shortSitePath: String?

    /// Tezos: `rolling`, `rolling-tarball`, `archive-tarball` and their metadata twins
    /// (`ArtifactKind.permalink`) in the network's bucket, and the same under `/<network>/`.
    public static func tezos(network: String, kind: ArtifactKind) -> PermalinkNames {
        PermalinkNames(bucketKey: kind.permalink, metadataBucketKey: kind.metadataPermalink,
                       sitePath: "/\(network)/\(kind.permalink)", metadataSitePath: "/\(network)/\(kind.metadataPermalink)",
                       shortSitePath: nil)
    }

    /// Polkadot and Kusama: `<database>` and `<database>-metadata` in the chain's bucket;
    /// `/<chain>/<database>/snapshot` and `/<chain>/<database>/metadata` on the site, and
    /// `/<short>/<database>` when the chain has a short name (`shortName`, else the default one).
    public static func polkadot(chain: String, database: String, shortName: String? = nil) -> PermalinkNames {
        PermalinkNames(bucketKey: database, metadataBucketKey: "\(database)-metadata",
                       sitePath: "/\(chain)/\(database)/snapshot", metadataSitePath: "/\(chain)/\(database)/metadata",
                       shortSitePath: (shortName ?? polkadotShortNames[chain]).map { "/\($0)/\(database)" })
    }

    /// The short names polkashots has always used for its site-wide permalinks (`/dot/rocksdb`).
    public static let polkadotShortNames = ["polkadot": "dot", "kusama": "ksm"]
}

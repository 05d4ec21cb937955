import Infrastructure

/// Where the newest artifact of a kind, and its metadata, can always be found. Made only by
/// `PublishedLayout`: pack reports these names, the site's redirect plan writes them, and
/// publish moves them.
public struct PermalinkNames: Sendable, Equatable {
    /// Object names in the network's (or chain's) bucket.
    public let bucketKey: String
    public let metadataBucketKey: String
    /// Paths on the main site.
    public let sitePath: String
    public let metadataSitePath: String
    /// The site-wide short form of `sitePath` (`/dot/rocksdb`), for chains that have a short name.
    public let shortSitePath: String?

    /// The site paths, short form last.
    public var sitePaths: [String] { [sitePath, metadataSitePath] + [shortSitePath].compactMap { $0 } }
    /// The bucket's two redirect objects: to the artifact, and to its metadata.
    public var bucketKeys: [String] { [bucketKey, metadataBucketKey] }
}

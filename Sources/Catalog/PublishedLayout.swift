import Infrastructure

/// What shots publishes for one chain family, and where: the only owner of object names in a
/// network's store and the website's, of site paths and redirect pages, of the status codes and
/// cache policy hosts answer permalinks with, and of which artifact is the newest. Site, Publish,
/// Preview, withdraw and prune ask here; none spells a name or a rule of its own.
public struct PublishedLayout: Sendable, Equatable {
    /// Tezos (a base.json per network) or Polkadot and Kusama (metadata objects, short names).
    public let family: ChainFamily
    /// Site-wide short names of Polkadot chains (`dot` in `/dot/rocksdb`): site.yml's `short_name`
    /// where it gives one, else the ones polkashots has always used.
    public let shortNames: [String: String]

    /// `shortNames` are site.yml's, by chain id; polkashots' own fill in the rest.
    public init(family: ChainFamily, shortNames: [String: String] = [:]) {
        self.family = family
        self.shortNames = Self.defaultShortNames.merging(shortNames) { $1 }
    }

    /// The short names polkashots has always used for its site-wide permalinks.
    public static let defaultShortNames = ["polkadot": "dot", "kusama": "ksm"]

    // MARK: A network's store

    /// A Tezos network's catalog: every artifact published there, the one shared write.
    public static let baseCatalogKey = "base.json"
    /// The store's catalog object; nil for Polkadot and Kusama, whose `<filename>.json` objects
    /// are the catalog (polkashots never kept a base.json).
    public var catalogKey: String? { family == .tezos ? Self.baseCatalogKey : nil }
    /// The artifacts withdrawn from a network, with reason and time.
    public static let withdrawnKey = "shots/withdrawn.json"
    /// The bucket's index document: redirects to the network's page on the website.
    public static let bucketIndexKey = "index.html"

    /// An artifact's objects in the order they are published: itself, its checksum, its signature,
    /// its metadata last (while the artifact is there, so is what describes it; deleted likewise).
    public static func objects(of filename: String) -> [String] { companionSuffixes.map { filename + $0 } }
    /// What follows an artifact's name in its objects' names, in that order.
    public static let companionSuffixes = ["", checksumSuffix, signatureSuffix, metadataSuffix]
    private static let checksumSuffix = ".sha256"
    private static let signatureSuffix = checksumSuffix + ".minisig"
    private static let metadataSuffix = ".json"
    /// `<filename>.sha256`, as `sha256sum -c` reads it (also the URL beside an artifact's URL).
    public static func checksumKey(of filename: String) -> String { filename + checksumSuffix }
    /// `<filename>.sha256.minisig`, the minisign signature of the checksum.
    public static func signatureKey(of filename: String) -> String { filename + signatureSuffix }
    /// `<filename>.json`, the artifact's metadata.
    public static func metadataKey(of filename: String) -> String { filename + metadataSuffix }

    /// The artifact a top-level `<filename>.json` object describes; nil for any other key
    /// (base.json, records under `shots/`, pages).
    public static func artifactName(ofMetadataKey key: String) -> String? {
        guard !key.contains("/"), key.hasSuffix(metadataSuffix), key != baseCatalogKey, key != siteCatalogKey else { return nil }
        return String(key.dropLast(metadataSuffix.count))
    }

    // MARK: The website's store

    /// Every network's artifacts in one document, for the tezos-k8s chart (`SnapshotsDocument`).
    public static let siteCatalogKey = "tezos-snapshots.json"
    /// Its minisign signature, beside it.
    public static let siteCatalogSignatureKey = siteCatalogKey + ".minisig"
    /// The JSON schema the catalog names, published beside it.
    public static let schemaKey = "tezos-snapshots.schema.json"
    /// The publisher's minisign public key file (as `shots keygen` writes it), when site.yml names
    /// one: where `shots verify --site` and `shots restore --site` read it.
    public static let sitePublicKeyKey = "shots.pub"
    /// Netlify / Cloudflare Pages redirect rules, and the plan every redirect output comes from.
    public static let redirectRulesKey = "_redirects"
    public static let redirectPlanKey = "redirects.json"

    /// The page of a network's artifacts (Tezos, `/mainnet/`) or of a chain's database (Polkadot,
    /// `/polkadot/rocksdb/`); the bucket's index document leads to the first.
    public static func listPage(network: String, database: String? = nil) -> String {
        "/" + ([network] + [database].compactMap { $0 }).joined(separator: "/") + "/"
    }

    /// A list page's Atom feed: `/mainnet/feed.xml`.
    public static func feed(ofPage page: String) -> String { page + "feed.xml" }

    /// The object a site path is served from on plain static hosting: `/` → `index.html`,
    /// `/mainnet/` → `mainnet/index.html`, `/mainnet/feed.xml` → `mainnet/feed.xml`.
    public static func key(ofSitePath path: String) -> String {
        var relative = path
        while relative.hasPrefix("/") { relative.removeFirst() }
        return relative.isEmpty || relative.hasSuffix("/") ? relative + bucketIndexKey : relative
    }

    /// The page that stands for a permalink on plain static hosting: `/mainnet/rolling` →
    /// `mainnet/rolling/index.html`.
    public static func pageKey(sitePath: String) -> String {
        key(ofSitePath: sitePath.hasSuffix("/") ? sitePath : sitePath + "/")
    }

    // MARK: How hosts answer

    /// What a network's bucket answers for a permalink: S3 website hosting serves a
    /// website-redirect object as 301, whatever the object says.
    public static let bucketRedirectStatus = 301
    /// What the website answers for a permalink through `_redirects`: 302, since a permalink moves
    /// with every new artifact and must not be cached as permanent.
    public static let siteRedirectStatus = 302
    /// Objects that change in place (permalinks, catalogs, their signatures, records): every
    /// client checks again before using a cached copy.
    public static let changingCacheControl = "no-cache"

    /// Pages and feeds change with every artifact, so browsers check again after five minutes;
    /// theme assets, a day.
    public static func pageCacheControl(key: String) -> String {
        key.hasPrefix("assets/") ? "public, max-age=86400" : "public, max-age=300"
    }

    // MARK: The newest

    /// The artifact a kind's permalinks lead to and its page shows first (`LatestPolicy`).
    public static func newest<Candidate: PermalinkCandidate>(of candidates: some Sequence<Candidate>) -> Candidate? {
        LatestPolicy.latest(of: candidates)
    }

    /// Whether `candidate` would be chosen over `current`: a permalink only ever moves this way.
    public static func isNewer<Candidate: PermalinkCandidate>(_ candidate: Candidate, than current: Candidate) -> Bool {
        LatestPolicy.ranksBelow(current, candidate)
    }

    /// Newest first, by the same rule: what retention keeps first.
    public static func newestFirst<Candidate: PermalinkCandidate>(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted { LatestPolicy.ranksBelow($1, $0) }
    }

    // MARK: Permalinks

    /// Tezos: `rolling`, `rolling-tarball`, `archive-tarball` and their metadata twins in the
    /// network's bucket, and the same under `/<network>/` on the site.
    public static func permalinks(network: String, kind: ArtifactKind) -> PermalinkNames {
        PermalinkNames(bucketKey: kind.permalink, metadataBucketKey: kind.metadataPermalink,
                       sitePath: "/\(network)/\(kind.permalink)", metadataSitePath: "/\(network)/\(kind.metadataPermalink)",
                       shortSitePath: nil)
    }

    /// Polkadot and Kusama: `<database>` and `<database>-metadata` in the chain's bucket;
    /// `/<chain>/<database>/snapshot` and `/<chain>/<database>/metadata` on the site, and
    /// `/<short>/<database>` when the chain has a short name.
    public func permalinks(chain: String, database: String) -> PermalinkNames {
        PermalinkNames(bucketKey: database, metadataBucketKey: "\(database)-metadata",
                       sitePath: "/\(chain)/\(database)/snapshot", metadataSitePath: "/\(chain)/\(database)/metadata",
                       shortSitePath: shortNames[chain].map { "/\($0)/\(database)" })
    }

    /// The permalinks of the artifact's kind, which lead to it while it is the newest.
    public func permalinks(of artifact: PublishedArtifact) -> PermalinkNames {
        switch artifact.kind {
        case .tezos(let kind): Self.permalinks(network: artifact.network, kind: kind)
        case .substrate(let database): permalinks(chain: artifact.network, database: database)
        }
    }
}

import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// A polkashots site's content: one page per chain and database, showing the newest snapshot,
/// how to verify it on block explorers, and the one-liner that downloads and extracts it.
struct PolkadotSite: SiteContent {
    let config: SiteConfig
    let artifacts: [PolkadotArtifact]
    /// Snapshots by chain and database, newest first.
    private let byDatabase: [String: [String: [PolkadotArtifact]]]
    /// Chain ids in page order: configured ones first, then any other with snapshots.
    private let chainIDs: [String]

    init(config: SiteConfig, artifacts: [PolkadotArtifact]) {
        self.config = config
        self.artifacts = artifacts
        byDatabase = Dictionary(grouping: artifacts, by: \.chain).mapValues { chain in
            // Newest first by the rule the permalinks follow: the page shows the first as the newest.
            Dictionary(grouping: chain, by: \.database).mapValues(PublishedLayout.newestFirst)
        }
        let configured = config.networks.map(\.id)
        chainIDs = configured + byDatabase.keys.filter { !configured.contains($0) }.sorted()
    }

    var artifactCount: Int { artifacts.count }
    var unchangedFiles: [String] { [] }
    var newest: BlockTimestamp? { artifacts.map(\.created).max() }

    var site: [String: Any] {
        var site: [String: Any] = [
            "title": config.title, "tagline": config.tagline, "base_url": config.baseURL, "domain": config.domain,
            "org": config.org, "footer_links": config.footerLinks.map { ["title": $0.title, "url": $0.url] },
            "chains": chainIDs.map(chain),
        ]
        if let key = config.signingPublicKey { site["signing_public_key"] = key }
        return site
    }

    /// `each: database`: a page per chain and database that has snapshots.
    func instances(of each: String) -> [PageInstance]? {
        guard each == "database" else { return nil }
        return chainIDs.flatMap { chain in
            (byDatabase[chain] ?? [:]).keys.sorted().map { database in
                PageInstance(parameters: ["chain": chain, "database": database],
                             values: ["chain": self.chain(chain), "snapshot": snapshotPage(chain, database),
                                      "feed": ["url": PublishedLayout.feed(ofPage: PublishedLayout.listPage(network: chain, database: database)),
                                               "title": "\(config.network(chain).name) \(Self.databaseName(database)) snapshots"]],
                             modified: byDatabase[chain]?[database]?.first?.created)
            }
        }
    }

    /// For each chain and database: `/<chain>/<database>/snapshot` and the site-wide short form
    /// (`/dot/rocksdb`) to the newest snapshot, and `/<chain>/<database>/metadata` to its JSON. In
    /// the chain's bucket: `<database>` and `<database>-metadata` likewise, and `index.html` to the
    /// chain's first page on the main site.
    func redirects() -> [Redirect] {
        chainIDs.flatMap { chain -> [Redirect] in
            let databases = (byDatabase[chain] ?? [:]).keys.sorted()
            let index = databases.first.map { RedirectPlan.index(network: chain, page: config.baseURL + PublishedLayout.listPage(network: chain, database: $0)) }
            return [index].compactMap { $0 } + databases.flatMap { database -> [Redirect] in
                guard let newest = PublishedLayout.newest(of: byDatabase[chain]?[database] ?? []) else { return [] }
                return RedirectPlan.permalinks(network: chain, names: permalinks(chain, database), filename: newest.filename, url: newest.url)
            }
        }
    }

    /// An Atom feed per chain and database.
    func dataFiles(environment: [String: String]) throws(Problem) -> [(path: String, data: Data)] {
        chainIDs.flatMap { chain in
            (byDatabase[chain] ?? [:]).sorted { $0.key < $1.key }.map { database, snapshots in
                let entries = snapshots.map { snapshot in
                    Feeds.Entry(title: "\(config.network(chain).name) \(Self.databaseName(database)) snapshot at block \(snapshot.blockHeight)",
                                url: snapshot.url, bytes: snapshot.filesizeBytes, updated: snapshot.created,
                                summary: "\(snapshot.filename): \(snapshot.filesize), block \(snapshot.blockHash), node \(snapshot.nodeVersion), sha256 \(snapshot.sha256)")
                }
                let page = PublishedLayout.listPage(network: chain, database: database)
                return (PublishedLayout.key(ofSitePath: PublishedLayout.feed(ofPage: page)),
                        Feeds.atom(config: config, page: page, name: "\(config.network(chain).name) \(Self.databaseName(database))", entries: entries))
            }
        }
    }

    /// A chain's card: its databases with their newest snapshot.
    private func chain(_ id: String) -> [String: Any] {
        let network = config.network(id)
        let databases = (byDatabase[id] ?? [:]).keys.sorted().map { database -> [String: Any] in
            let newest = LatestPolicy.latest(of: byDatabase[id]?[database] ?? [])
            var entry: [String: Any] = ["database": database, "database_name": Self.databaseName(database), "url": PublishedLayout.listPage(network: id, database: database)]
            if let newest { entry["newest"] = snapshot(newest) }
            return entry
        }
        return ["id": id, "name": network.name, "description": network.description, "databases": databases,
                "has_databases": !databases.isEmpty]
    }

    /// The chain's permalinks for `database`, with the short name site.yml gives, if any.
    private func permalinks(_ chain: String, _ database: String) -> PermalinkNames {
        config.layout.permalinks(chain: chain, database: database)
    }

    private func snapshotPage(_ chain: String, _ database: String) -> [String: Any] {
        let snapshots = byDatabase[chain]?[database] ?? []
        let names = permalinks(chain, database)
        var page: [String: Any] = [
            "database": database, "database_name": Self.databaseName(database),
            "permalink": config.baseURL + names.sitePath,
            "metadata_permalink": config.baseURL + names.metadataSitePath,
            "feed_url": PublishedLayout.feed(ofPage: PublishedLayout.listPage(network: chain, database: database)),
            "chain_folder": "chains/\(PolkadotArtifact.chainFolders[chain] ?? chain)",
            "older": snapshots.dropFirst().prefix(20).map(snapshot),
        ]
        if let short = names.shortSitePath { page["short_permalink"] = config.baseURL + short }
        if let newest = LatestPolicy.latest(of: snapshots) { page["newest"] = snapshot(newest) }
        return page
    }

    /// One snapshot, formatted for display.
    private func snapshot(_ snapshot: PolkadotArtifact) -> [String: Any] {
        let values = ["block_hash": snapshot.blockHash, "block_height": String(snapshot.blockHeight)]
        return [
            "filename": snapshot.filename, "url": snapshot.url, "block_height": snapshot.blockHeight,
            "block_hash": snapshot.blockHash, "created": snapshot.created.text, "created_date": DisplayFormat.date(snapshot.created),
            "database_name": Self.databaseName(snapshot.database),
            "pruning": snapshot.pruning == "archive" ? "archive (all states kept)" : "pruned (last \(snapshot.pruning) block states)",
            "compression": snapshot.compression.uppercased(), "node_version": snapshot.nodeVersion,
            "filesize": snapshot.filesize, "filesize_bytes": snapshot.filesizeBytes, "sha256": snapshot.sha256,
            "metadata_url": PublishedLayout.metadataKey(of: snapshot.url), "checksum_url": PublishedLayout.checksumKey(of: snapshot.url),
            "signature_url": PublishedLayout.signatureKey(of: snapshot.url),
            "explorers": config.network(snapshot.chain).explorers.map { ["name": $0.name, "url": URLPattern($0.blockURL).expand(values)] },
        ]
    }

    /// `RocksDB`, `ParityDB` (`SubstrateDatabase.displayName`); validated metadata names no other.
    private static func databaseName(_ database: String) -> String {
        SubstrateDatabase(rawValue: database)?.displayName ?? database
    }
}

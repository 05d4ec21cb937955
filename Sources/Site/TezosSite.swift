import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// An xtz-shots site's content. Computed in Swift so templates stay logic-less: which artifact
/// each section shows (the latest policy), sorted lists, formatted versions and dates, explorer
/// links, permalinks. Values are plain dictionaries and arrays, which Mustache reads directly.
struct TezosSite: SiteContent {
    let config: SiteConfig
    /// Artifacts by network, each list newest first.
    let byNetwork: [String: [Artifact]]
    /// Network ids in page order: configured ones first, then any other with artifacts, by name.
    let networkIDs: [String]
    /// Each network's block explorers, patterns split once.
    private let explorers: [String: [(name: String, url: URLPattern)]]

    /// The artifacts of the networks that changed since the previous build (all, without one), in catalog order.
    let artifacts: [Artifact]
    /// The JSON schema published beside tezos-snapshots.json, when the site ships one.
    let schema: Data?
    /// Networks unchanged since the previous build: their pages and feeds are kept, their part of
    /// tezos-snapshots.json is spliced in from `chunk`.
    let unchanged: [String: BuildCache.NetworkRecord]
    /// Each changed network's encoded part of tezos-snapshots.json, for the document and the cache.
    let chunks: [String: [UInt8]]
    /// The unchanged networks' parts, as the previous build wrote them.
    private let unchangedChunks: [String: [UInt8]]

    init(config: SiteConfig, artifacts: [Artifact], schema: Data? = nil,
         unchanged: [String: BuildCache.NetworkRecord] = [:], unchangedChunks: [String: [UInt8]] = [:]) {
        self.config = config
        self.artifacts = artifacts
        self.schema = schema
        self.unchanged = unchanged
        self.unchangedChunks = unchangedChunks
        let inCatalogOrder = Dictionary(grouping: artifacts, by: \.chainName)
        chunks = inCatalogOrder.mapValues(SnapshotsDocument.encodedChunk)
        byNetwork = inCatalogOrder.mapValues { list in
            list.sorted { ($0.blockHeight, $0.blockTimestamp, $0.filename) > ($1.blockHeight, $1.blockTimestamp, $1.filename) }
        }
        let configured = config.networks.map(\.id)
        networkIDs = configured + Set(byNetwork.keys).union(unchanged.keys).filter { !configured.contains($0) }.sorted()
        explorers = Dictionary(uniqueKeysWithValues: networkIDs.map { id in
            (id, config.network(id).explorers.map { ($0.name, URLPattern($0.blockURL)) })
        })
    }

    /// `site`: what every page can use.
    var site: [String: Any] {
        present([
            "title": config.title, "tagline": config.tagline, "base_url": config.baseURL, "domain": config.domain,
            "org": config.org, "signing_public_key": config.signingPublicKey,
            "footer_links": config.footerLinks.map { ["title": $0.title, "url": $0.url] },
            "data_links": [["title": PublishedLayout.siteCatalogKey, "url": "/" + PublishedLayout.siteCatalogKey]],
            "networks": networkIDs.map(networkSummary),
        ])
    }

    /// A network's card on the home page.
    func networkSummary(_ id: String) -> [String: Any] {
        let network = config.network(id)
        let newest: (height: Int64, timestamp: BlockTimestamp)? = if let record = unchanged[id], let time = BlockTimestamp(record.newestTimestamp) {
            (record.newestHeight, time)
        } else {
            byNetwork[id]?.first.map { ($0.blockHeight, $0.blockTimestamp) }
        }
        return present([
            "id": id, "name": network.name, "description": network.description, "url": PublishedLayout.listPage(network: id),
            "artifact_count": unchanged[id]?.count ?? byNetwork[id]?.count ?? 0,
            "newest": newest.map { ["block_height": $0.height, "block_timestamp": $0.timestamp.text,
                                    "block_date": DisplayFormat.date($0.timestamp)] },
        ])
    }

    /// What the next build needs to know of a changed network without loading it.
    func record(_ id: String) -> BuildCache.NetworkRecord? {
        guard let newest = byNetwork[id]?.first, let modified = byNetwork[id]?.map(\.blockTimestamp).max() else { return nil }
        return BuildCache.NetworkRecord(count: byNetwork[id]!.count, chunkHash: BuildCache.hash(chunks[id] ?? []), newestHeight: newest.blockHeight,
                                        newestTimestamp: newest.blockTimestamp.text, modified: modified.text, redirects: redirects(of: id))
    }

    /// `network`: everything a network's pages show.
    func network(_ id: String) -> [String: Any] {
        let artifacts = byNetwork[id] ?? []
        let latest = LatestPolicy.latestByNetwork(artifacts)[id] ?? [:]
        let host = config.artifactHost(for: id)
        var model = networkSummary(id)
        model["list_url"] = "/\(id)/list.html"
        model["feed_url"] = PublishedLayout.feed(ofPage: PublishedLayout.listPage(network: id))
        model["artifact_host"] = host
        model["sections"] = ArtifactKind.shown(for: artifacts).map { kind -> [String: Any] in
            let names = PublishedLayout.permalinks(network: id, kind: kind)
            return present([
                "title": Self.title(of: kind), "permalink": names.bucketKey,
                "permalink_url": "\(host)/\(names.bucketKey)", "site_permalink": names.sitePath,
                "metadata_permalink_url": "\(host)/\(names.metadataBucketKey)",
                "artifact": latest[kind].map(artifact),
            ])
        }
        model["lists"] = ArtifactKind.shown(for: artifacts).map { kind -> [String: Any] in
            let ofKind = artifacts.filter { $0.kind == kind }
            return ["title": Self.title(of: kind), "permalink": kind.permalink, "count": ofKind.count, "has_artifacts": !ofKind.isEmpty,
                    "artifacts": ofKind.parallelMap { Unchecked(artifact($0)) }.map(\.value)]
        }
        return model
    }

    /// One artifact, formatted for display.
    func artifact(_ artifact: Artifact) -> [String: Any] {
        let block = ["block_hash": artifact.blockHash, "block_height": String(artifact.blockHeight)]
        let explorers = (self.explorers[artifact.chainName] ?? []).map { explorer in
            ["name": explorer.name, "url": explorer.url.expand(block)]
        }
        var view: [String: Any] = [
            "filename": artifact.filename, "url": artifact.url, "block_height": artifact.blockHeight,
            "block_hash": artifact.blockHash, "block_timestamp": artifact.blockTimestamp.text,
            "block_date": DisplayFormat.date(artifact.blockTimestamp), "filesize": artifact.filesize,
            "filesize_bytes": artifact.filesizeBytes, "sha256": artifact.sha256,
            "metadata_url": PublishedLayout.metadataKey(of: artifact.url), "checksum_url": PublishedLayout.checksumKey(of: artifact.url),
            "signature_url": PublishedLayout.signatureKey(of: artifact.url), "version": artifact.tezosVersion.displayName,
            "explorers": explorers, "is_tarball": artifact.artifactType == .tarball,
            "is_snapshot": artifact.artifactType == .tezosSnapshot, "history_mode": artifact.historyMode.rawValue,
            "decompress": artifact.compression.decompressCommand, "is_lz4": artifact.compression == .lz4,
        ]
        if let version = artifact.snapshotVersion { view["snapshot_version"] = version }
        return view
    }

    var artifactCount: Int { artifacts.count + unchanged.values.reduce(0) { $0 + $1.count } }
    var newest: BlockTimestamp? { (artifacts.map(\.blockTimestamp) + unchanged.values.compactMap { BlockTimestamp($0.modified) }).max() }
    var unchangedFiles: [String] { unchanged.keys.sorted().map { PublishedLayout.key(ofSitePath: PublishedLayout.feed(ofPage: PublishedLayout.listPage(network: $0))) } }

    /// `each: network`: a page per network (left as they are for unchanged networks).
    func instances(of each: String) -> [PageInstance]? {
        guard each == "network" else { return nil }
        return networkIDs.parallelMap(minimumChunk: 1) { id in
            if let record = unchanged[id] {
                return Unchecked(PageInstance(parameters: ["network": id], values: nil, modified: BlockTimestamp(record.modified)))
            }
            return Unchecked(PageInstance(parameters: ["network": id],
                                          values: ["network": network(id), "feed": ["url": PublishedLayout.feed(ofPage: PublishedLayout.listPage(network: id)), "title": "\(config.network(id).name) snapshots"]],
                                          modified: byNetwork[id]?.map(\.blockTimestamp).max()))
        }.map(\.value)
    }

    func redirects() -> [Redirect] {
        networkIDs.flatMap { unchanged[$0]?.redirects ?? redirects(of: $0) }
    }

    private func redirects(of id: String) -> [Redirect] {
        RedirectPlan.redirects(config: config, networks: [id], artifacts: byNetwork[id] ?? [])
    }

    /// Each network's Atom feed, and tezos-snapshots.json with the schema it names beside it, by
    /// the same rules `shots catalog` follows (`SnapshotsDocument.generationDate`, `.header`).
    func dataFiles(environment: [String: String]) throws(Problem) -> [(path: String, data: Data)] {
        var files = networkIDs.filter { unchanged[$0] == nil }.map { id in
            let entries = (byNetwork[id] ?? []).map { artifact in
                Feeds.Entry(title: "\(Self.title(of: artifact.kind)) at block \(artifact.blockHeight)", url: artifact.url,
                            bytes: artifact.filesizeBytes, updated: artifact.blockTimestamp,
                            summary: "\(artifact.filename): \(artifact.filesize), block \(artifact.blockHash), octez \(artifact.tezosVersion.displayName), sha256 \(artifact.sha256)")
            }
            let page = PublishedLayout.listPage(network: id)
            return (PublishedLayout.key(ofSitePath: PublishedLayout.feed(ofPage: page)), Feeds.atom(config: config, page: page, name: config.network(id).name, entries: entries))
        }
        let date = try SnapshotsDocument.generationDate(environment: environment, newest: newest)
        let header = try SnapshotsDocument.header(org: nil, schemaURL: nil, environment: environment, siteOrg: config.org, siteBaseURL: config.baseURL)
        // Catalog order puts networks in name order, so the document is its networks' parts in that order.
        let parts = Set(chunks.keys).union(unchanged.keys).sorted().map { chunks[$0] ?? unchangedChunks[$0]! }
        let document = SnapshotsDocument(org: header.org, schemaURL: header.schemaURL, dateGenerated: date, dataChunks: parts)
        files.append((PublishedLayout.siteCatalogKey, document.encoded()))
        if let schema { files.append((PublishedLayout.schemaKey, schema)) }
        return files
    }

    /// Leaves out absent values, so `{{#key}}` sections see them as missing rather than as "nil".
    private func present(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    /// "Rolling snapshot", "Archive tarball".
    static func title(of kind: ArtifactKind) -> String {
        let mode = kind.historyMode.rawValue.prefix(1).uppercased() + kind.historyMode.rawValue.dropFirst()
        let compression = kind.compression == .lz4 ? "" : " (\(kind.compression.rawValue))"
        return "\(mode) \(kind.artifactType == .tarball ? "tarball" : "snapshot")\(compression)"
    }
}

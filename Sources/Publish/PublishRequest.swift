import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Storage

/// Everything one `shots publish` run needs, resolved from flags, environment and site.yml.
public struct PublishRequest {
    /// What is published: a data dir packed straight into the store, or files `pack` made.
    public enum Source {
        case pack(PackRequest, PackProgress)
        /// The artifact's path; its `.json`, `.sha256` and `.sha256.minisig` are beside it.
        case packed(String)
        /// No new artifact: the pages and permalinks made again from the stores' catalogs as they
        /// are now (`shots redirects`, and after `withdraw` changed a catalog).
        case catalogs
    }

    public var source: Source
    public var config: SiteConfig
    public var siteFolder: String
    public var templatesFolder: String
    /// The store of each network that has one: artifacts, sidecars, base.json and permalinks.
    public var networkStores: [String: ObjectStore]
    /// Where each network's permalinks and `index.html` go: its store unless set apart
    /// (`--permalink-store`), and then they redirect to the artifacts' absolute URLs.
    public var permalinkStores: [String: ObjectStore]
    /// The website: pages, tezos-snapshots.json and its signature.
    public var siteStore: ObjectStore
    /// Signs tezos-snapshots.json when given.
    public var signingKey: Minisign.SecretKey?
    /// A canned ACL for the network stores' objects (`public-read` for DigitalOcean Spaces); nil
    /// leaves the bucket's.
    public var acl: CannedACL?
    /// The same for the website's objects and permalinks kept apart (AWS buckets refuse ACLs by default).
    public var siteACL: CannedACL?
    /// A private folder for the site build and companions (never the artifact).
    public var scratch: String
    public var environment: [String: String]
    public var dryRun = false
    /// Artifacts being withdrawn: left out of the site before any record says so (a dry run's).
    public var withdrawing: Set<String> = []
    /// Pages built for `shots serve` at this origin (`--preview`), not for the site's own hosts.
    public var previewOrigin: String?
    /// Checked again right before the permalinks move: a node that fell out of sync meanwhile
    /// stops the run there (`--max-block-age`).
    public var freshnessGate: FreshnessGate?

    public init(source: Source, config: SiteConfig, siteFolder: String, templatesFolder: String, networkStores: [String: ObjectStore],
                siteStore: ObjectStore, signingKey: Minisign.SecretKey?, acl: CannedACL?, scratch: String, environment: [String: String]) {
        self.source = source
        self.config = config
        self.siteFolder = siteFolder
        self.templatesFolder = templatesFolder
        self.networkStores = networkStores
        permalinkStores = networkStores
        self.siteStore = siteStore
        self.signingKey = signingKey
        self.acl = acl
        self.scratch = scratch
        self.environment = environment
    }
}

/// What a run did, step by step, for the closing table.
public struct PublishSummary {
    public struct Step {
        public var name: String
        public var seconds: Double
        public var detail: String
        public var objects = 0
        public var bytes: Int64 = 0
    }

    public var steps: [Step] = []
    /// Objects written (or, in a dry run, that would be), in order: store address and key.
    public var written: [(store: String, key: String, bytes: Int64)] = []
    /// Objects deleted (or that would be).
    public var deleted: [(store: String, key: String)] = []
    /// Times base.json was found changed by another publisher and merged again.
    public var baseRetries = 0
    /// The artifact published (its filename, network and block).
    public var artifact: (filename: String, network: String, blockHeight: Int64)?
    /// The permalinks moved (in a dry run: that would move), in order.
    public var permalinkMoves: [PermalinkChange] = []
}

/// A permalink's redirect object, before and after a move.
public struct PermalinkChange: Sendable {
    public var store: String
    public var key: String
    /// Where it led; nil when it did not exist.
    public var from: String?
    public var to: String
}

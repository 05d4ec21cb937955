import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Publish
import Site
import Storage

/// Which stores a verb that changes a published site writes (publish, redirects, withdraw), with
/// site.yml's defaults, and how their objects are written. One definition for every such verb.
struct StoreSelection: ParsableArguments {
    @Option(help: "The network store ({network} is replaced; default: store: in site.yml).")
    var store: String?
    @Option(help: "The website store (default: site_store: in site.yml).")
    var siteStore: String?
    @Option(help: ArgumentHelp("Where each network's permalinks go when not beside its artifacts, e.g. an AWS bucket for artifacts on DigitalOcean Spaces ({network} is replaced; default: permalink_store: in site.yml, else the network store). Reached with the --site-* flags.", valueName: "store"))
    var permalinkStore: String?
    @Option(help: "A canned ACL for the network stores' objects, e.g. public-read (DigitalOcean Spaces); default: the bucket's.")
    var acl: CannedACL?
    @Option(help: "A canned ACL for the website's objects and the --permalink-store's; default: the bucket's.")
    var siteAcl: CannedACL?
    @Option(help: "The folder of themes (default: $SHOTS_TEMPLATES, ./templates, the one beside the site folder, else shots:templates, the themes built into shots).")
    var templates: String?

    @OptionGroup var storeFlags: StoreFlags

    /// Opens the stores of `networks` and the website's; `source` is what is published.
    func request(_ source: PublishRequest.Source, networks: [String], config: SiteConfig, site: SiteOptions,
                 signingKey: Minisign.SecretKey?, scratch: String, environment: [String: String]) throws(Problem) -> PublishRequest {
        let log: @Sendable (String) -> Void = { line in standardError("shots: \(line)") }
        if let signingKey, let shown = config.signingPublicKey, shown != signingKey.publicKeyText {
            // Clients trust the key the site shows (shots.pub, the pages): they would reject every signature of this run.
            let shownID = (try? Minisign.PublicKey(text: shown, origin: "site.yml"))?.keyIDText ?? "unreadable"
            let signingID = (try? Minisign.PublicKey(text: signingKey.publicKeyText, origin: "--signing-key"))?.keyIDText ?? "?"
            standardError("warning: site.yml's signing_public_key is key \(shownID), but this run signs with key \(signingID): `shots verify` and `shots restore` with the site's key will refuse what it signs")
        }
        var stores: [String: ObjectStore] = [:]
        for network in Set(networks) {
            let address = store.map { SiteConfig.forNetwork($0, network) } ?? config.store(for: network, siteFolder: site.site)
            guard let address else { continue }
            stores[network] = try StoreAddress.open(address, flag: "--store", options: storeFlags.options(site: false, environment: environment), log: log)
        }
        var permalinkStores = stores
        for network in stores.keys {
            let address = permalinkStore.map { SiteConfig.forNetwork($0, network) } ?? config.permalinkStore(for: network, siteFolder: site.site)
            guard let address else { continue }
            permalinkStores[network] = try StoreAddress.open(address, flag: "--permalink-store", options: storeFlags.options(site: true, environment: environment), log: log)
        }
        guard let siteAddress = siteStore ?? config.siteStore(siteFolder: site.site) else {
            throw Problem(origin: "--site-store", reason: "where the website goes is needed: --site-store URL, or site_store: in site.yml")
        }
        let siteStore = try StoreAddress.open(siteAddress, flag: "--site-store", options: storeFlags.options(site: true, environment: environment), log: log)
        try Self.checkApart(networks: stores, permalinks: permalinkStores, site: siteStore)
        var request = PublishRequest(source: source, config: config, siteFolder: site.site,
                                     templatesFolder: templates ?? BuildOptions.defaultTemplatesFolder(site: site.site, environment: environment),
                                     networkStores: stores, siteStore: siteStore, signingKey: signingKey, acl: acl, scratch: scratch, environment: environment)
        request.permalinkStores = permalinkStores
        request.siteACL = siteAcl
        request.previewOrigin = site.preview
        return request
    }

    /// A request that publishes no artifact (redirects, withdraw): every network of the site.
    func catalogsRequest(site: SiteOptions, signing: SigningOptions, scratch: String, dryRun: Bool,
                         environment: [String: String]) throws(Problem) -> PublishRequest {
        let config = try site.siteConfig()
        var request = try request(.catalogs, networks: config.networks.map(\.id), config: config, site: site,
                                  signingKey: try signing.key(environment: environment), scratch: scratch, environment: environment)
        request.dryRun = dryRun
        return request
    }

    /// Stores that share keys would overwrite each other's objects: two networks' base.json, or a
    /// network's index.html over the site's page of that network.
    private static func checkApart(networks: [String: ObjectStore], permalinks: [String: ObjectStore], site: ObjectStore) throws(Problem) {
        var named = networks.sorted { $0.key < $1.key }.map { ("--store of \($0.key)", $0.value) }
        named += permalinks.sorted { $0.key < $1.key }.filter { networks[$0.key] !== $0.value }.map { ("--permalink-store of \($0.key)", $0.value) }
        named.append(("--site-store", site))
        for (index, (origin, store)) in named.enumerated() {
            for (otherOrigin, other) in named[(index + 1)...] where store.keySpace.hasPrefix(other.keySpace) || other.keySpace.hasPrefix(store.keySpace) {
                throw Problem(origin: origin, reason: "\(store.address) overlaps \(otherOrigin) \(other.address): each network and the website need a store (or a prefix, as in s3://bucket/{network} and s3://bucket/site) of their own")
            }
        }
    }
}

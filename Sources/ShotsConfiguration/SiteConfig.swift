import Catalog
import Infrastructure
import Foundation
import Yams

/// `site.yml`: everything about a site that is not artifact data.
public struct SiteConfig: Decodable, Sendable {
    /// The site's name, shown in the header and the page titles.
    public var title: String
    /// One line under the title on the home page.
    public var tagline: String
    /// Where the site is served, without a trailing slash: `https://xtz-shots.io`.
    public var baseURL: String
    /// The site's domain name, for templates (`xtz-shots.io`).
    public var domain: String
    /// Who publishes the snapshots (also `org` in tezos-snapshots.json).
    public var org: String
    /// The theme under `templates/`: `xtz-shots` or `polkashots`.
    public var theme: String
    /// Which chains' metadata the site shows.
    public var family: ChainFamily
    /// Catalog sources (base.json, tezos-snapshots.json, metadata folders), relative to the site folder.
    public var sources: [String]
    /// Where each network's artifacts and permalinks are served; `{network}` is replaced:
    /// `https://{network}.xtz-shots.io`.
    public var artifactHost: String
    /// Where `publish` writes each network's artifacts, base.json and permalinks: a store URL
    /// (`s3://{network}.xtz-shots.io`, or a folder relative to the site folder); `{network}` is replaced.
    public var store: String?
    /// Where `publish` writes the website: pages, tezos-snapshots.json and its signature.
    public var siteStore: String?
    /// Where each network's permalinks go when not beside its artifacts (`{network}` is replaced):
    /// the reference keeps artifacts on DigitalOcean Spaces, which has no website redirects, and
    /// the permalinks in an AWS bucket that redirects to them.
    public var permalinkStore: String?
    /// What `shots prune` keeps in every network's store (a network's own overrides it).
    public var retention: Retention?
    /// The networks (Tezos) or chains (Polkadot), in the order pages list them.
    public var networks: [Network]
    public var footerLinks: [Link]
    /// The minisign public key that verifies the artifacts' signatures, shown on the site.
    public var signingPublicKey: String?
    /// The text of site.yml as read (the incremental build's fingerprint hashes it).
    public internal(set) var source = ""
    /// Whether to write an HTML redirect page (meta refresh) at each permalink, for plain static
    /// hosting. On Netlify, turn it off: a file at a path shadows that path's `_redirects` rule.
    public var redirectPages: Bool

    public struct Network: Decodable, Sendable {
        public var id: String
        public var name: String
        public var description: String
        /// Block explorers to verify a block hash; `{block_hash}` and `{block_height}` are replaced.
        public var explorers: [Explorer]
        /// Overrides the site's `artifact_host` for this network.
        public var artifactHost: String?
        /// A short name for site-wide permalinks: `dot` for Polkadot, `ksm` for Kusama.
        public var shortName: String?
        /// Overrides the site's `store` for this network.
        public var store: String?
        /// Overrides the site's `retention` for this network.
        public var retention: Retention?
    }

    public struct Explorer: Decodable, Sendable {
        public var name: String
        public var blockURL: String
    }

    public struct Link: Decodable, Sendable {
        public var title: String
        public var url: String
    }

    enum CodingKeys: String, CodingKey {
        case title, tagline, domain, org, theme, sources, networks, family
        case baseURL = "base_url", artifactHost = "artifact_host", footerLinks = "footer_links"
        case signingPublicKey = "signing_public_key", redirectPages = "redirect_pages"
        case store, siteStore = "site_store", permalinkStore = "permalink_store", retention
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        tagline = try container.decodeIfPresent(String.self, forKey: .tagline) ?? ""
        baseURL = try container.decode(String.self, forKey: .baseURL)
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        domain = try container.decode(String.self, forKey: .domain)
        org = try container.decode(String.self, forKey: .org)
        theme = try container.decode(String.self, forKey: .theme)
        family = try container.decodeIfPresent(ChainFamily.self, forKey: .family) ?? .tezos
        sources = try container.decodeIfPresent([String].self, forKey: .sources) ?? []
        artifactHost = try container.decode(String.self, forKey: .artifactHost)
        networks = try container.decodeIfPresent([Network].self, forKey: .networks) ?? []
        footerLinks = try container.decodeIfPresent([Link].self, forKey: .footerLinks) ?? []
        signingPublicKey = try container.decodeIfPresent(String.self, forKey: .signingPublicKey)
        redirectPages = try container.decodeIfPresent(Bool.self, forKey: .redirectPages) ?? true
        store = try container.decodeIfPresent(String.self, forKey: .store)
        siteStore = try container.decodeIfPresent(String.self, forKey: .siteStore)
        permalinkStore = try container.decodeIfPresent(String.self, forKey: .permalinkStore)
        retention = try container.decodeIfPresent(Retention.self, forKey: .retention)
    }

    /// Reads `site.yml` in `folder`; errors name the file and the field.
    public static func load(folder: String) throws(Problem) -> SiteConfig {
        let path = (folder as NSString).appendingPathComponent("site.yml")
        let text = try SiteFiles(folder: folder).text(path, what: "the site configuration")
        guard let node = try YAMLText.node(text, origin: path, what: nil) else {
            throw Problem(origin: path, reason: "is empty; expected the site configuration")
        }
        var config: SiteConfig
        do { config = try YAMLDecoder().decode(SiteConfig.self, from: node) } catch let error as DecodingError {
            throw Problem(origin: path, reason: Self.describe(error))
        } catch {
            throw Problem(origin: path, reason: "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        try config.check(path: path)
        config.source = text
        return config
    }

    /// The configured network with this id, or one with sensible defaults for a network that has
    /// artifacts but no entry (TzKT, on its own subdomain for test networks).
    public func network(_ id: String) -> Network {
        if let configured = networks.first(where: { $0.id == id }) { return configured }
        let explorer = switch family {
        case .tezos: Explorer(name: "TzKT", blockURL: id == "mainnet" ? "https://tzkt.io/{block_hash}" : "https://\(id).tzkt.io/{block_hash}")
        case .polkadot: Explorer(name: "Subscan", blockURL: "https://\(id).subscan.io/block/{block_height}")
        }
        return Network(id: id, name: id.prefix(1).uppercased() + id.dropFirst(), description: "",
                       explorers: [explorer], artifactHost: nil, shortName: nil, store: nil, retention: nil)
    }

    /// `https://mainnet.xtz-shots.io`: where a network's artifacts and permalinks are served.
    public func artifactHost(for network: String) -> String {
        var host = Self.forNetwork(networks.first { $0.id == network }?.artifactHost ?? artifactHost, network)
        while host.hasSuffix("/") { host.removeLast() }
        return host
    }

    /// The store URL of a network (`store`, with `{network}` replaced), or nil when none is set.
    /// A relative folder is taken from the site folder, as `sources` are.
    public func store(for network: String, siteFolder: String) -> String? {
        (networks.first { $0.id == network }?.store ?? store).map { Self.storeAddress(Self.forNetwork($0, network), siteFolder) }
    }

    /// `template` for one network: hosts and stores name it as `{network}`.
    public static func forNetwork(_ template: String, _ network: String) -> String {
        template.replacingOccurrences(of: networkPlaceholder, with: network)
    }

    /// Whether `template` gives each network a place of its own.
    public static func namesEachNetwork(_ template: String) -> Bool { template.contains(networkPlaceholder) }

    static let networkPlaceholder = "{network}"

    /// What this site publishes and where: its family's object names and permalinks, with the
    /// chains' short names as `networks` gives them.
    public var layout: PublishedLayout {
        PublishedLayout(family: family, shortNames: Dictionary(networks.compactMap { network in network.shortName.map { (network.id, $0) } }) { $1 })
    }

    /// What prune keeps of a network: its own `retention`, else the site's, else nil.
    public func retention(for network: String) -> Retention? {
        networks.first { $0.id == network }?.retention ?? retention
    }

    /// The store of a network's permalinks when it is not the network's store, or nil.
    public func permalinkStore(for network: String, siteFolder: String) -> String? {
        permalinkStore.map { Self.storeAddress(Self.forNetwork($0, network), siteFolder) }
    }

    /// The website's store, or nil when none is set.
    public func siteStore(siteFolder: String) -> String? { siteStore.map { Self.storeAddress($0, siteFolder) } }

    private static func storeAddress(_ address: String, _ siteFolder: String) -> String {
        address.contains("://") || address.hasPrefix("/") ? address : (siteFolder as NSString).appendingPathComponent(address)
    }

    /// Every value that reaches a page, a feed or a redirect file passes the same kind of
    /// allow-list as artifact metadata: one line, no control or markup characters, URLs that are
    /// http(s), carry no credentials and cannot break out of an attribute or a `_redirects` line.
    private func check(path: String) throws(Problem) {
        func fail(_ field: String, _ expectation: String, _ value: String) -> Problem {
            Problem(origin: path, reason: "\(field): expected \(expectation), found \(Problem.quoted(URLSecrets.redacted(value)))")
        }
        var texts: [(String, String, TextForm)] = [("title", title, .prose), ("tagline", tagline, .prose), ("org", org, .prose)]
        texts += footerLinks.map { ("footer_links.title", $0.title, .prose) }
        for network in networks {
            texts += [("networks.name", network.name, .prose), ("networks.description", network.description, .prose)]
            texts += network.explorers.map { ("networks.explorers.name", $0.name, .prose) }
        }
        for (field, value, form) in texts {
            if !value.isEmpty, !form.accepts(value) { throw fail(field, form.expectation, value) }
            if let secret = URLSecrets.secretPart(inText: value) {
                throw Problem(origin: path, reason: "\(field): holds a URL with \(secret); it is published on every page")
            }
        }
        guard domain.utf8.allSatisfy({ Self.hostBytes[Int($0)] }), !domain.isEmpty else {
            throw fail("domain", "a host name such as xtz-shots.io", domain)
        }
        if let key = signingPublicKey, !(key.utf8.count == 56 && key.utf8.allSatisfy { Self.base64Bytes[Int($0)] }) {
            throw fail("signing_public_key", "a minisign public key (56 base64 characters, as shots keygen prints it)", key)
        }
        // Where artifacts and permalinks are served: plain URLs, as artifact `url`s must be; links
        // to other sites may carry a query (an explorer's ?rpc=...).
        var urls = [("base_url", baseURL, false), ("artifact_host", Self.forNetwork(artifactHost, "n"), false)]
        urls += networks.compactMap { network in network.artifactHost.map { ("networks.artifact_host", Self.forNetwork($0, "n"), false) } }
        urls += footerLinks.map { ("footer_links.url", $0.url, true) }
        urls += networks.flatMap { network in network.explorers.map { ("networks.explorers.block_url", $0.blockURL, true) } }
        for (field, url, link) in urls {
            if let problem = PublishableURL.problem(url, link: link) { throw Problem(origin: path, reason: "\(field): \(problem)") }
        }
        let stores = [("store", store), ("site_store", siteStore), ("permalink_store", permalinkStore)] + networks.map { ("networks.store", $0.store) }
        for case (let field, let address?) in stores {
            if let secret = URLSecrets.secretPart(of: address) {
                throw Problem(origin: path, reason: "\(field): holds \(secret); give credentials through AWS_* variables or a profile, never in site.yml")
            }
        }
        for (field, retention) in [("retention", retention)] + networks.map({ ("networks.retention", $0.retention) }) {
            if let problem = retention?.problem { throw Problem(origin: path, reason: "\(field).\(problem)") }
        }
        var seen = Set<String>()
        for network in networks {
            guard seen.insert(network.id).inserted else {
                throw Problem(origin: path, reason: "networks.id: \(Problem.quoted(network.id)) is listed twice; each network once")
            }
            guard TextForm.chainName.accepts(network.id) else {
                throw Problem(origin: path, reason: "networks.id: expected a network name like mainnet, found \(Problem.quoted(network.id))")
            }
            if let short = network.shortName, !TextForm.word.accepts(short) {
                throw fail("networks.short_name", TextForm.word.expectation + ", such as dot", short)
            }
        }
    }

    private static let hostBytes = byteTable { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }
    private static let base64Bytes = byteTable { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=" }

    private static func byteTable(_ allowed: (Character) -> Bool) -> [Bool] {
        (0..<256).map { $0 < 128 && allowed(Character(Unicode.Scalar(UInt8($0)))) }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): is missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found nothing"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail = context.underlyingError.map { String(describing: $0).split(separator: "\n").first.map(String.init) ?? "" } ?? context.debugDescription
            return "not valid YAML: \(detail)"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}

extension SiteConfig.Network {
    enum CodingKeys: String, CodingKey {
        case id, name, description, explorers
        case artifactHost = "artifact_host", shortName = "short_name", store, retention
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shortName = try container.decodeIfPresent(String.self, forKey: .shortName)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        explorers = try container.decodeIfPresent([SiteConfig.Explorer].self, forKey: .explorers) ?? []
        artifactHost = try container.decodeIfPresent(String.self, forKey: .artifactHost)
        store = try container.decodeIfPresent(String.self, forKey: .store)
        retention = try container.decodeIfPresent(Retention.self, forKey: .retention)
    }
}

extension SiteConfig.Explorer {
    enum CodingKeys: String, CodingKey {
        case name
        case blockURL = "block_url"
    }
}

import Foundation

/// How `shots serve` lays out what it previews on one port, so that every link works through the
/// system resolver (`*.localhost` names do not resolve through glibc): the website at `/`, each
/// network's store under `/store/<network>/`. Publishing for preview (`--preview ORIGIN`) writes
/// these URLs into the metadata and pages, so the server serves what was published byte for byte.
public enum PreviewLayout {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 4000
    public static var defaultOrigin: String { "http://\(defaultHost):\(defaultPort)" }

    /// The path under which a network's store is served: `/store/mainnet`.
    public static func storePath(network: String) -> String { "/store/\(network)" }
}

extension SiteConfig {
    /// This site as `shots serve` at `origin` previews it: pages at `origin`, each network's
    /// artifacts and permalinks at `origin/store/<network>`.
    public func previewed(at origin: String) -> SiteConfig {
        var config = self
        var origin = origin
        while origin.hasSuffix("/") { origin.removeLast() }
        config.baseURL = origin
        config.artifactHost = origin + PreviewLayout.storePath(network: SiteConfig.networkPlaceholder)
        for index in config.networks.indices { config.networks[index].artifactHost = nil }
        // The incremental build fingerprints site.yml's text: pages made for another host are stale.
        config.source += "\n# previewed at \(origin)\n"
        return config
    }
}

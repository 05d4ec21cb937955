import Catalog
import Infrastructure
import Foundation
import ShotsConfiguration
import Testing
import TestSupport

/// site.yml as every verb reads it: stores and hosts per network, short names, retention, preview.
@Suite("site configuration")
struct SiteConfigTests {
    private func config(_ yaml: String) throws -> SiteConfig {
        let folder = try TemporaryFolder()
        try folder.write("site/site.yml", yaml)
        return try SiteConfig.load(folder: folder.subpath("site"))
    }

    private let base = """
        title: t
        base_url: https://polkashots.io
        domain: polkashots.io
        org: o
        theme: polkashots
        family: polkadot
        artifact_host: https://{network}.polkashots.io
        store: s3://{network}-shots
        networks:
          - id: polkadot
            name: Polkadot
            short_name: polka
            store: stores/polkadot
          - id: kusama
            name: Kusama

        """

    @Test("{network} is each network's own host and store; a network's own store wins, relative to the site folder")
    func perNetwork() throws {
        let config = try config(base)
        #expect(config.artifactHost(for: "kusama") == "https://kusama.polkashots.io")
        #expect(config.store(for: "kusama", siteFolder: "/srv/site") == "s3://kusama-shots")
        #expect(config.store(for: "polkadot", siteFolder: "/srv/site") == "/srv/site/stores/polkadot")
        #expect(SiteConfig.namesEachNetwork("s3://{network}-shots") && !SiteConfig.namesEachNetwork("s3://one"))
    }

    @Test("the layout carries site.yml's short names over polkashots' defaults")
    func layout() throws {
        let layout = try config(base).layout
        #expect(layout.family == .polkadot)
        #expect(layout.permalinks(chain: "polkadot", database: "rocksdb").shortSitePath == "/polka/rocksdb")
        #expect(layout.permalinks(chain: "kusama", database: "rocksdb").shortSitePath == "/ksm/rocksdb")
    }

    @Test("retention: per network over the site's, and a bad one named with its field")
    func retention() throws {
        let config = try config(base + "retention:\n  keep: 3\n")
        #expect(config.retention(for: "kusama")?.keep == 3)
        #expect(throws: Problem.self) { try self.config(base + "retention:\n  max_age: soon\n") }
        #expect(Retention(keep: 0).problem?.hasPrefix("keep: expected 1 or more") == true)
    }

    @Test("previewed: pages at the origin, each network's artifacts under /store/<network>")
    func preview() throws {
        let previewed = try config(base).previewed(at: "http://127.0.0.1:4000/")
        #expect(previewed.baseURL == "http://127.0.0.1:4000")
        #expect(previewed.artifactHost(for: "kusama") == "http://127.0.0.1:4000/store/kusama")
    }
}

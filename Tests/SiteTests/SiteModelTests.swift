import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
@testable import Site
import Testing
import TestSupport

/// Golden tests: which artifact each section of a network page and each permalink shows.
@Suite("view model and permalinks")
struct SiteModelTests {
    private func config() throws -> SiteConfig {
        try SiteConfig.load(folder: rooted("site"))
    }

    private func sections(_ model: TezosSite, _ network: String) -> [String: String] {
        let sections = model.network(network)["sections"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: sections.map { section in
            (section["permalink"] as! String, ((section["artifact"] as? [String: Any])?["filename"] as? String) ?? "none")
        })
    }

    @Test("each section shows the latest policy's choice; a kind with no artifact shows none")
    func sectionsFollowThePolicy() throws {
        let artifacts = try [
            artifactJSON(height: 100, major: 19), artifactJSON(height: 300, major: 20),
            artifactJSON(type: "tezos-snapshot", height: 200, major: 20, additionalInfo: .object(["rc": .integer(1)])),
            artifactJSON(type: "tezos-snapshot", height: 150, major: 20),
        ].map(artifact)
        let model = TezosSite(config: try config(), artifacts: artifacts)
        #expect(sections(model, "mainnet") == [
            "rolling": "mainnet-200.rolling",
            "rolling-tarball": "tezos-mainnet-rolling-tarball-100.lz4",
            "archive-tarball": "none",
        ])
        #expect(sections(model, "ghostnet") == ["rolling": "none", "rolling-tarball": "none", "archive-tarball": "none"])
    }

    @Test("kinds beyond the published three (full-mode tarballs) get their own section and permalink")
    func otherKinds() throws {
        let artifacts = try [artifactJSON(mode: "full", height: 40), artifactJSON(height: 30)].map(artifact)
        let model = TezosSite(config: try config(), artifacts: artifacts)
        let sections = model.network("mainnet")["sections"] as? [[String: Any]] ?? []
        #expect(sections.map { $0["title"] as? String } == ["Rolling snapshot", "Rolling tarball", "Archive tarball", "Full tarball"])
        #expect(model.redirects().compactMap(\.sitePath).contains("/mainnet/full-tarball"))
    }

    @Test("versions, dates, explorer links and file links are formatted for people")
    func formatting() throws {
        let model = TezosSite(config: try config(), artifacts: [])
        let view = model.artifact(try artifact(artifactJSON(network: "ghostnet", type: "tezos-snapshot", height: 7, major: 20, additionalInfo: .object(["rc": .integer(2)]))))
        #expect(view["version"] as? String == "v20.1 rc~2")
        #expect(view["block_date"] as? String == "2024-05-12 00:03 UTC")
        #expect(view["signature_url"] as? String == "https://ghostnet.xtz-shots.io/ghostnet-7.rolling.sha256.minisig")
        let explorers = view["explorers"] as? [[String: String]]
        #expect(explorers == [["name": "TzKT", "url": "https://ghostnet.tzkt.io/BLockHash4fVN9uz2HiDF5wAWxwZgwXDPEY7dnQgS4fVN9uz2Hi"]])
        #expect(view["snapshot_version"] as? Int64 == 6)
    }

    @Test("permalinks point where the sections point, in every redirect form")
    func redirectPlan() throws {
        let config = try config()
        let artifacts = try [artifactJSON(height: 100, major: 19), artifactJSON(height: 300, major: 20)].map(artifact)
        let plan = RedirectPlan.redirects(config: config, networks: ["mainnet"], artifacts: artifacts)
        #expect(plan.map(\.bucketKey) == ["index.html", "rolling-tarball", "rolling-tarball-metadata"])
        #expect(plan[0].location == "https://xtz-shots.io/mainnet/")
        #expect(plan[1].bucketLocation == "/tezos-mainnet-rolling-tarball-100.lz4")
        #expect(plan[1].location == "https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4")
        #expect(plan[2].location == "https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4.json")
        let netlify = String(decoding: RedirectPlan.netlify(plan), as: UTF8.self)
        #expect(netlify == """
            /mainnet/rolling-tarball https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4 302
            /mainnet/rolling-tarball-metadata https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4.json 302

            """)
        let page = String(decoding: RedirectPlan.page(plan[1]), as: UTF8.self)
        #expect(page.contains(#"<meta http-equiv="refresh" content="0; url=https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4">"#))
        #expect(page.contains(#"<link rel="canonical" href="https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-100.lz4">"#))
        let json = try JSONParser.parse(RedirectPlan.json(plan))
        guard case .array(let entries)? = json["redirects"] else { Issue.record("no redirects array"); return }
        #expect(entries[1]["cache_control"] == .string("no-cache"))
        #expect(entries[0]["site_path"] == .null)
        // Each host's own answer: S3 website hosting serves a redirect object as 301; _redirects says 302.
        #expect(entries[0]["bucket_status"] == .integer(301) && entries[0]["site_status"] == .null)
        #expect(entries[1]["bucket_status"] == .integer(301) && entries[1]["site_status"] == .integer(302))
    }

    @Test("the permalink, _redirects and the network page all name the policy's choice, neither the lowest nor the highest block")
    func permalinkFollowsPolicy() throws {
        let folder = try TemporaryFolder()
        for (height, major) in [(100, 19), (300, 19), (500, 20)] as [(Int64, Int64)] {
            try folder.write(artifact: artifactJSON(height: height, major: major), in: "bucket")
        }
        let config = try config()
        let artifacts = try [100, 300, 500].map { try artifact(artifactJSON(height: $0, major: $0 == 500 ? 20 : 19)) }
        let plan = RedirectPlan.redirects(config: config, networks: ["mainnet"], artifacts: artifacts)
        #expect(plan.first { $0.bucketKey == "rolling-tarball" }?.bucketLocation == "/tezos-mainnet-rolling-tarball-300.lz4")

        try buildSite(sources: [folder.subpath("bucket")], into: folder.subpath("out"))
        let redirects = try String(contentsOfFile: folder.subpath("out/_redirects"), encoding: .utf8)
        #expect(redirects.contains("/mainnet/rolling-tarball https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-300.lz4 302\n"))
        let page = try String(contentsOfFile: folder.subpath("out/mainnet/index.html"), encoding: .utf8)
        let section = (page.components(separatedBy: "id=\"rolling-tarball\"").dropFirst().first ?? "").components(separatedBy: "</section>")[0]
        #expect(section.contains("https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-300.lz4\""), "the page's rolling-tarball section")
        #expect(!section.contains("rolling-tarball-100.lz4") && !section.contains("rolling-tarball-500.lz4"))
    }
}

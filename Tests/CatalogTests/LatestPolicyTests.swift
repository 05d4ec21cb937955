import Catalog
import Infrastructure
import Testing
import TestSupport

@Suite("latest policy: which artifact a permalink serves")
struct LatestPolicyTests {
    private func latest(_ candidates: [JSONObject]) throws -> String? {
        let artifacts = try candidates.map(artifact)
        let chosen = LatestPolicy.latest(of: artifacts)?.filename
        // The choice never depends on input order.
        #expect(LatestPolicy.latest(of: artifacts.reversed())?.filename == chosen)
        return chosen
    }

    @Test("the lowest octez major present wins over a newer block on a higher major")
    func lowestMajor() throws {
        #expect(try latest([
            artifactJSON(height: 100, major: 19), artifactJSON(height: 300, major: 20), artifactJSON(height: 200, major: 19),
        ]) == "tezos-mainnet-rolling-tarball-200.lz4")
    }

    @Test("within a major the newest block wins")
    func newestWithinMajor() throws {
        #expect(try latest([artifactJSON(height: 100), artifactJSON(height: 200)]) == "tezos-mainnet-rolling-tarball-200.lz4")
    }

    @Test("an rc counts as its major: it competes on height with that major's release")
    func releaseCandidates() throws {
        #expect(try latest([
            artifactJSON(height: 100, major: 20), artifactJSON(height: 200, major: 20, additionalInfo: .object(["rc": .integer(2)])),
        ]) == "tezos-mainnet-rolling-tarball-200.lz4")
        #expect(try latest([
            artifactJSON(height: 100, major: 19, additionalInfo: .object(["rc": .integer(1)])), artifactJSON(height: 200, major: 20),
        ]) == "tezos-mainnet-rolling-tarball-100.lz4")
    }

    @Test("additional_info as a word or an object does not change the ranking")
    func additionalInfoShapes() throws {
        #expect(try latest([
            artifactJSON(height: 100, additionalInfo: .string("dev")), artifactJSON(height: 200, additionalInfo: .object(["beta": .integer(1)])),
        ]) == "tezos-mainnet-rolling-tarball-200.lz4")
    }

    @Test("artifacts without an octez version only win when no artifact has one")
    func unversioned() throws {
        #expect(try latest([
            artifactJSON(height: 900, major: 1, implementation: "tezedge"), artifactJSON(height: 100, major: 20),
        ]) == "tezos-mainnet-rolling-tarball-100.lz4")
        #expect(try latest([
            artifactJSON(height: 900, major: 1, implementation: "tezedge"), artifactJSON(height: 100, major: 1, implementation: "tezedge"),
        ]) == "tezos-mainnet-rolling-tarball-900.lz4")
    }

    @Test("on equal heights the newer block_timestamp wins")
    func equalHeights() throws {
        var older = artifactJSON(height: 100, timestamp: "2024-05-01T00:00:00Z")
        older["filename"] = .string("z-older.lz4")
        older["url"] = .string("https://mainnet.xtz-shots.io/z-older.lz4")
        #expect(try latest([older, artifactJSON(height: 100, timestamp: "2024-05-01T00:00:30Z")]) == "tezos-mainnet-rolling-tarball-100.lz4")
    }

    @Test("a kind with no artifacts has no latest, and kinds are chosen separately per network")
    func perKindAndNetwork() throws {
        let none: [Artifact] = []
        #expect(LatestPolicy.latest(of: none) == nil)
        let artifacts = try [
            artifactJSON(network: "mainnet", height: 10), artifactJSON(network: "mainnet", type: "tezos-snapshot", height: 20),
            artifactJSON(network: "ghostnet", mode: "archive", height: 30),
        ].map(artifact)
        let latest = LatestPolicy.latestByNetwork(artifacts)
        #expect(latest["mainnet"]?[ArtifactKind(.tarball, .rolling)]?.blockHeight == 10)
        #expect(latest["mainnet"]?[ArtifactKind(.tezosSnapshot, .rolling)]?.blockHeight == 20)
        #expect(latest["mainnet"]?[ArtifactKind(.tarball, .archive)] == nil)
        #expect(latest["ghostnet"]?.keys.map(\.permalink) == ["archive-tarball"])
    }
}

import Catalog
import Infrastructure
import Testing
import TestSupport

/// The one owner of what shots publishes: names, pages, the newest rule, permalinks.
@Suite("the published layout")
struct PublishedLayoutTests {
    @Test("an artifact's objects go up in one order, metadata last, and only top-level .json objects describe artifacts")
    func objectNames() {
        #expect(PublishedLayout.objects(of: "a.lz4") == ["a.lz4", "a.lz4.sha256", "a.lz4.sha256.minisig", "a.lz4.json"])
        #expect(PublishedLayout.artifactName(ofMetadataKey: "a.lz4.json") == "a.lz4")
        for key in ["base.json", "tezos-snapshots.json", "shots/withdrawn.json", "a.lz4", "mainnet/a.lz4.json"] {
            #expect(PublishedLayout.artifactName(ofMetadataKey: key) == nil, "\(key)")
        }
    }

    @Test("a site path's page is the index.html of its folder")
    func pages() {
        #expect(PublishedLayout.pageKey(sitePath: "/mainnet/rolling") == "mainnet/rolling/index.html")
        #expect(PublishedLayout.pageKey(sitePath: "/mainnet/") == "mainnet/index.html")
        #expect(PublishedLayout.pageKey(sitePath: "/") == "index.html")
    }

    @Test("the newest is the lowest octez major, then the highest block; a permalink moves only towards it")
    func newestRule() throws {
        let octez19 = PublishedArtifact(try artifact(artifactJSON(height: 150, major: 19)))
        let octez20 = PublishedArtifact(try artifact(artifactJSON(height: 200, major: 20)))
        let octez19Later = PublishedArtifact(try artifact(artifactJSON(height: 180, major: 19)))
        #expect(PublishedLayout.newest(of: [octez20, octez19, octez19Later])?.blockHeight == 180)
        #expect(PublishedLayout.isNewer(octez19, than: octez20))
        #expect(!PublishedLayout.isNewer(octez20, than: octez19))
        #expect(PublishedLayout.isNewer(octez19Later, than: octez19))
        #expect(PublishedLayout.newestFirst([octez20, octez19, octez19Later]).map(\.blockHeight) == [180, 150, 200])
    }

    @Test("Polkadot permalinks carry the chain's short name: site.yml's, else polkashots' own")
    func shortNames() {
        #expect(PublishedLayout(family: .polkadot).permalinks(chain: "polkadot", database: "rocksdb").shortSitePath == "/dot/rocksdb")
        let custom = PublishedLayout(family: .polkadot, shortNames: ["polkadot": "polka"])
        #expect(custom.permalinks(chain: "polkadot", database: "rocksdb").sitePaths == ["/polkadot/rocksdb/snapshot", "/polkadot/rocksdb/metadata", "/polka/rocksdb"])
        #expect(custom.permalinks(chain: "kusama", database: "paritydb").shortSitePath == "/ksm/paritydb")
        #expect(custom.permalinks(chain: "westend", database: "rocksdb").shortSitePath == nil)
    }

    @Test("Tezos permalinks: the kind's name in the bucket and under the network on the site")
    func tezosPermalinks() {
        let names = PublishedLayout.permalinks(network: "ghostnet", kind: ArtifactKind(.tezosSnapshot, .rolling))
        #expect(names.bucketKeys == ["rolling", "rolling-snapshot-metadata"])
        #expect(names.sitePaths == ["/ghostnet/rolling", "/ghostnet/rolling-snapshot-metadata"])
        // zstd tarballs never share a permalink with the LZ4 ones every client reads.
        let zstd = PublishedLayout.permalinks(network: "mainnet", kind: ArtifactKind(.tarball, .archive, .zstd))
        #expect(zstd.bucketKeys == ["archive-tarball-zstd", "archive-tarball-zstd-metadata"])
        #expect(PublishedLayout.permalinks(network: "mainnet", kind: ArtifactKind(.tarball, .archive)).bucketKeys == ["archive-tarball", "archive-tarball-metadata"])
        #expect(ArtifactKind(.tezosSnapshot, .rolling, .zstd) == ArtifactKind(.tezosSnapshot, .rolling), "an export is not compressed by shots")
    }
}

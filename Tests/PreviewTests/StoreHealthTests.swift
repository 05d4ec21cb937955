import Catalog
import Infrastructure
import Foundation
@testable import Preview
import Storage
import Testing
import TestSupport

/// `/health` reads each store's catalog as publish does: the newest block per network, withdrawn
/// artifacts left out, 503 for a network with nothing to vouch for.
@Suite("the preview's /health")
struct StoreHealthTests {
    private let now = Date(timeIntervalSince1970: 1_715_472_197 + 600)  // ten minutes after 2024-05-12T00:03:17Z

    private func store(_ folder: TemporaryFolder, _ heights: [Int64], withdrawn: [Int64] = []) throws -> DirectoryStore {
        let store = try DirectoryStore(path: folder.subpath("mainnet"))
        var catalog = BaseCatalog()
        for height in heights {
            let timestamp = height == heights.max() ? "2024-05-12T00:03:17Z" : "2024-05-01T00:00:00Z"
            _ = catalog.insert(try artifact(artifactJSON(height: height, timestamp: timestamp)), from: "test")
        }
        _ = try store.put(PublishedLayout.baseCatalogKey, catalog.encoded(), headers: ObjectHeaders(), condition: .always)
        let record = WithdrawnRecord.document(withdrawn.map { WithdrawnRecord.Entry(filename: "tezos-mainnet-rolling-tarball-\($0).lz4", reason: "bad", withdrawnAt: "") })
        if !withdrawn.isEmpty { _ = try store.put(PublishedLayout.withdrawnKey, record, headers: ObjectHeaders(), condition: .always) }
        return store
    }

    private func document(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a fresh network is healthy and names its newest block's time and age")
    func fresh() throws {
        let folder = try TemporaryFolder()
        let (healthy, data) = StoreHealth.check([("mainnet", try store(folder, [5_000_000, 5_250_000]))], layout: PublishedLayout(family: .tezos),
                                                maxAgeSeconds: 3600, now: now)
        #expect(healthy)
        let network = try #require((try document(data)["networks"] as? [[String: Any]])?.first)
        #expect(network["newest_block_time"] as? String == "2024-05-12T00:03:17Z")
        #expect(network["age_seconds"] as? Int == 600)
    }

    @Test("a withdrawn newest artifact does not count: the network is as old as what is left")
    func withdrawnIsLeftOut() throws {
        let folder = try TemporaryFolder()
        let (healthy, data) = StoreHealth.check([("mainnet", try store(folder, [5_000_000, 5_250_000], withdrawn: [5_250_000]))],
                                                layout: PublishedLayout(family: .tezos), maxAgeSeconds: 3600, now: now)
        #expect(!healthy)
        let network = try #require((try document(data)["networks"] as? [[String: Any]])?.first)
        #expect(network["newest_block_time"] as? String == "2024-05-01T00:00:00Z")
        #expect(network["status"] as? String == "stale")
    }

    @Test("no store, or a store without artifacts, is never healthy")
    func empty() throws {
        let folder = try TemporaryFolder()
        let (healthy, data) = StoreHealth.check([("mainnet", nil), ("ghostnet", try DirectoryStore(path: folder.subpath("ghostnet")))],
                                                layout: PublishedLayout(family: .tezos), maxAgeSeconds: nil, now: now)
        #expect(!healthy)
        #expect((try document(data)["networks"] as? [[String: Any]])?.map { $0["status"] as? String } == ["no artifact", "no artifact"])
    }

    @Test("a catalog that cannot be read is unhealthy and says why, rather than passing for an empty network")
    func unreadable() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.subpath("mainnet"))
        _ = try store.put(PublishedLayout.baseCatalogKey, Data("[{\"filename\": 1}]".utf8), headers: ObjectHeaders(), condition: .always)
        let (healthy, data) = StoreHealth.check([("mainnet", store)], layout: PublishedLayout(family: .tezos), maxAgeSeconds: nil, now: now)
        #expect(!healthy)
        let network = try #require((try document(data)["networks"] as? [[String: Any]])?.first)
        #expect(network["status"] as? String == "unreadable catalog")
        #expect((network["problem"] as? String)?.contains("base.json: holds an invalid entry") == true, "\(network)")
    }
}

import Catalog
import ShotsConfiguration
import Foundation
import Storage

/// `/health`, for monitoring a publisher: per network, the newest artifact's block time and its
/// age; 503 when a network has no artifact or is older than the threshold (`--max-age`).
enum StoreHealth {
    struct Network {
        var id: String
        var newest: BlockTimestamp?
    }

    static func check(_ stores: [(network: String, store: DirectoryStore?)], family: ChainFamily, maxAgeSeconds: Int64?,
                      now: Date = Date()) -> (healthy: Bool, document: Data) {
        var healthy = true
        var entries: [JSONValue] = []
        for (network, store) in stores {
            let newest = store.flatMap { newestBlock($0, family: family) }
            let age = newest.map { Int64(now.timeIntervalSince1970) - $0.secondsSince1970 }
            // No artifact is never healthy; an age only fails a threshold that was given.
            let fresh = age.map { age in maxAgeSeconds.map { age <= $0 } ?? true } ?? false
            healthy = healthy && fresh
            entries.append(.object([
                "network": .string(network),
                "newest_block_time": newest.map { .string($0.text) } ?? .null,
                "age_seconds": age.map { .integer($0) } ?? .null,
                "status": .string(newest == nil ? "no artifact" : fresh ? "ok" : "stale"),
            ]))
        }
        let document = JSONValue.object([
            "status": .string(healthy ? "ok" : "stale"),
            "max_age_seconds": maxAgeSeconds.map { .integer($0) } ?? .null,
            "networks": .array(entries),
        ])
        return (healthy, JSONWriter().data(document))
    }

    /// The newest block among the store's artifacts: base.json's (Tezos), or each `.json`'s (Polkadot).
    private static func newestBlock(_ store: DirectoryStore, family: ChainFamily) -> BlockTimestamp? {
        switch family {
        case .tezos:
            guard let base = try? store.get("base.json"), let entries = try? MetadataLoader.loadCatalog(base.data, origin: "base.json") else { return nil }
            return entries.compactMap { try? $0.get().artifact.blockTimestamp }.max()
        case .polkadot:
            let keys = ((try? store.list(prefix: "")) ?? []).map(\.key).filter { !$0.contains("/") && $0.hasSuffix(".json") && $0 != "base.json" }
            return keys.compactMap { key -> BlockTimestamp? in
                guard let object = try? store.get(key), let value = try? JSONParser.parse(object.data) else { return nil }
                return try? PolkadotArtifact.validated(value).created
            }.max()
        }
    }
}

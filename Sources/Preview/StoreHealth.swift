import Catalog
import Infrastructure
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

    static func check(_ stores: [(network: String, store: DirectoryStore?)], layout: PublishedLayout, maxAgeSeconds: Int64?,
                      now: Date = Date()) -> (healthy: Bool, document: Data) {
        var healthy = true
        var entries: [JSONValue] = []
        for (network, store) in stores {
            // A catalog that cannot be read vouches for nothing, and says why.
            var unreadable: Problem?
            var newest: BlockTimestamp?
            if let store {
                do throws(Problem) { newest = try StoreCatalog.read(store, layout: layout)?.artifacts.map(\.blockTimestamp).max() } catch {
                    unreadable = error
                }
            }
            let age = newest.map { Int64(now.timeIntervalSince1970) - $0.secondsSince1970 }
            // No artifact is never healthy; an age only fails a threshold that was given.
            let fresh = age.map { age in maxAgeSeconds.map { age <= $0 } ?? true } ?? false
            healthy = healthy && fresh
            entries.append(.object([
                "network": .string(network),
                "newest_block_time": newest.map { .string($0.text) } ?? .null,
                "age_seconds": age.map { .integer($0) } ?? .null,
                "status": .string(unreadable != nil ? "unreadable catalog" : newest == nil ? "no artifact" : fresh ? "ok" : "stale"),
                "problem": unreadable.map { .string($0.description) } ?? .null,
            ]))
        }
        let document = JSONValue.object([
            "status": .string(healthy ? "ok" : "stale"),
            "max_age_seconds": maxAgeSeconds.map { .integer($0) } ?? .null,
            "networks": .array(entries),
        ])
        return (healthy, JSONWriter().data(document))
    }
}

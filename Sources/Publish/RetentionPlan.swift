import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// Which artifacts of one network retention lets go, decided without touching a store: per kind
/// (what a permalink stands for), newest first by the rule permalinks follow
/// (`PublishedLayout.newestFirst`), the newest always stays, then any beyond `keep`
/// or older than `max_age` goes, unless a permalink leads to it now or it was published within
/// the grace period (downloads in flight, and a publisher that just added it).
enum RetentionPlan {
    struct Decision {
        var artifact: PublishedArtifact
        var reason: String
    }

    static func decide(_ artifacts: [PublishedArtifact], layout: PublishedLayout, retention: Retention, now: Date, graceSeconds: Int64,
                       publishedAt: [String: Date], targets: Set<String>) -> (pruned: [Decision], spared: [Decision]) {
        var pruned: [Decision] = []
        var spared: [Decision] = []
        let kinds = Dictionary(grouping: artifacts, by: { layout.permalinks(of: $0).bucketKey })
        for (permalink, group) in kinds.sorted(by: { $0.key < $1.key }) {
            for (index, artifact) in PublishedLayout.newestFirst(group).enumerated() where index > 0 {
                let age = now.timeIntervalSince1970 - Double(artifact.blockTimestamp.secondsSince1970)
                var reason: String?
                if let keep = retention.keep, index >= keep { reason = "beyond the newest \(keep) of \(permalink)" }
                if let maxAge = retention.maxAgeSeconds, age > Double(maxAge) { reason = reason ?? "its block is older than \(retention.maxAge ?? "")" }
                guard let reason else { continue }
                if targets.contains(artifact.filename) {
                    spared.append(Decision(artifact: artifact, reason: "a permalink leads to it"))
                } else if let published = publishedAt[artifact.filename], now.timeIntervalSince(published) < Double(graceSeconds) {
                    spared.append(Decision(artifact: artifact, reason: "published within the grace period"))
                } else {
                    pruned.append(Decision(artifact: artifact, reason: reason))
                }
            }
        }
        return (pruned, spared)
    }
}

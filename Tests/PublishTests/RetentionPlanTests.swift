import Catalog
import Infrastructure
import Foundation
@testable import Publish
import ShotsConfiguration
import Testing
import TestSupport

/// What retention lets go, decided without a store: per kind, newest first by the rule the
/// permalinks follow, the newest always kept, permalink targets and recent uploads spared.
@Suite("retention: which artifacts prune lets go")
struct RetentionPlanTests {
    private let now = Date(timeIntervalSince1970: 1_720_000_000)  // 2024-07-03

    private func published(height: Int64, major: Int64 = 20, mode: String = "rolling", timestamp: String = "2024-07-01T00:00:00Z") throws -> PublishedArtifact {
        PublishedArtifact(try artifact(artifactJSON(mode: mode, height: height, timestamp: timestamp, major: major)))
    }

    private func decide(_ artifacts: [PublishedArtifact], keep: Int? = nil, maxAge: String? = nil, targets: Set<String> = [],
                        publishedAt: [String: Date] = [:]) throws -> (pruned: [String], spared: [String: String]) {
        let retention = Retention(keep: keep, maxAge: maxAge)
        #expect(retention.problem == nil)
        let decided = RetentionPlan.decide(artifacts, layout: PublishedLayout(family: .tezos), retention: retention, now: now, graceSeconds: 3600,
                                           publishedAt: publishedAt, targets: targets)
        return (decided.pruned.map(\.artifact.filename).sorted(), Dictionary(uniqueKeysWithValues: decided.spared.map { ($0.artifact.filename, $0.reason) }))
    }

    @Test("keeping one keeps what the permalinks serve: the lowest octez major, even at a lower block")
    func keepsTheNewestByThePermalinkRule() throws {
        let older = try published(height: 5_000_150, major: 19)
        let higher = try published(height: 5_000_200, major: 20)
        let plan = try decide([higher, older], keep: 1)
        #expect(plan.pruned == [higher.filename])
        #expect(PublishedLayout.newest(of: [higher, older])?.filename == older.filename)
    }

    @Test("each kind keeps its own newest; beyond keep goes, newest first by block within a major")
    func perKind() throws {
        let rolling = try [5_000_100, 5_000_200, 5_000_300].map { try published(height: $0) }
        let archive = try published(height: 5_000_050, mode: "archive")
        let plan = try decide(rolling + [archive], keep: 2)
        #expect(plan.pruned == [rolling[0].filename])
    }

    @Test("max_age never takes the newest of a kind, and spares a permalink target and a fresh upload, saying why")
    func sparesTargetsAndFreshUploads() throws {
        let old = try [5_000_100, 5_000_200, 5_000_300].map { try published(height: $0, timestamp: "2024-01-01T00:00:00Z") }
        let plan = try decide(old, maxAge: "30d", targets: [old[1].filename], publishedAt: [old[0].filename: now.addingTimeInterval(-60)])
        #expect(plan.pruned.isEmpty)
        #expect(plan.spared == [old[1].filename: "a permalink leads to it", old[0].filename: "published within the grace period"])
        let all = try decide(old, maxAge: "30d")
        #expect(all.pruned == [old[0].filename, old[1].filename])
    }
}

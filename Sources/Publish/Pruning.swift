import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Storage

/// `shots prune`: retention as the snapshot anchors keep it, and what failed runs left behind.
/// The artifacts retention lets go (`RetentionPlan`) leave as a withdrawal does, in an order that
/// never exposes a dangling link: recorded, taken out of base.json (a conditional write, so an
/// artifact another publisher just added stays), the site published without them, their objects
/// deleted, the record cleared. Then leftovers older than the grace period go: sidecars without
/// their artifact, artifacts without their `.json` (never in a catalog), unfinished uploads.
public enum Pruning {
    public struct Request {
        /// Overrides site.yml's `retention:` for every network.
        public var retention: Retention?
        public var graceSeconds: Int64
        public var now: Date

        public init(retention: Retention?, graceSeconds: Int64, now: Date = Date()) {
            self.retention = retention
            self.graceSeconds = graceSeconds
            self.now = now
        }
    }

    /// What goes (or would go) and what retention spared, with sizes.
    public struct Plan {
        public struct Item {
            public var store: String
            public var key: String
            public var bytes: Int64
            public var reason: String
        }

        public var pruned: [Item] = []
        public var spared: [Item] = []
        public var leftovers: [Item] = []
        public var freedBytes: Int64 { (pruned + leftovers).reduce(0) { $0 + $1.bytes } }
    }

    public static func run(_ pruning: Request, _ request: PublishRequest, log: @escaping (String) -> Void) throws(Problem) -> (PublishSummary, Plan) {
        var summary = PublishSummary()
        let steps = PublishSteps(writes: Publisher.writes(for: request), log: log)
        try? FileManager.default.createDirectory(atPath: request.scratch, withIntermediateDirectories: true)
        var plan = Plan()
        var victims: [String] = []
        var leftovers: [(store: ObjectStore, key: String)] = []
        var uploads: [(store: ObjectStore, upload: PendingUpload)] = []
        var interrupted: [(store: ObjectStore, names: Set<String>)] = []
        try steps.run("Plan retention") { () throws(Problem) in
            var anyRetention = false
            for (network, store) in request.networkStores.sorted(by: { $0.key < $1.key }) {
                let listing = try store.list(prefix: "")
                let read = try StoreCatalog.read(store, layout: request.config.layout)
                let artifacts = read?.artifacts ?? []
                if let retention = pruning.retention ?? request.config.retention(for: network) {
                    anyRetention = true
                    let decided = RetentionPlan.decide(artifacts, layout: request.config.layout, retention: retention, now: pruning.now, graceSeconds: pruning.graceSeconds,
                                                       publishedAt: Dictionary(listing.map { ($0.key, $0.lastModified ?? .distantFuture) }) { $1 },
                                                       targets: try targets(artifacts, request.permalinkStores[network] ?? store, layout: request.config.layout))
                    let sizes = Dictionary(listing.map { ($0.key, $0.size) }) { $1 }
                    for decision in decided.pruned {
                        victims.append(decision.artifact.filename)
                        plan.pruned.append(.init(store: store.address, key: decision.artifact.filename,
                                                 bytes: PublishedLayout.companionSuffixes.reduce(0) { $0 + (sizes[decision.artifact.filename + $1] ?? 0) }, reason: decision.reason))
                    }
                    plan.spared += decided.spared.map { .init(store: store.address, key: $0.artifact.filename, bytes: sizes[$0.artifact.filename] ?? 0, reason: $0.reason) }
                }
                // An earlier prune that stopped after the shrink left its artifacts recorded: finish them.
                let present = Set(listing.map(\.key))
                let record = try WithdrawnRecord.read(store).entries
                let unfinished = record.filter { $0.reason == reason }.map(\.filename)
                for name in unfinished {
                    for suffix in PublishedLayout.companionSuffixes where present.contains(name + suffix) {
                        leftovers.append((store, name + suffix))
                        plan.leftovers.append(.init(store: store.address, key: name + suffix, bytes: listing.first { $0.key == name + suffix }?.size ?? 0,
                                                    reason: "pruned by an earlier run that stopped before deleting it"))
                    }
                }
                if !unfinished.isEmpty { interrupted.append((store, Set(unfinished))) }
                let known = Set(artifacts.map(\.filename)).union(record.map(\.filename))
                for item in leftoversIn(listing, catalog: known, now: pruning.now, graceSeconds: pruning.graceSeconds) {
                    leftovers.append((store, item.key))
                    plan.leftovers.append(.init(store: store.address, key: item.key, bytes: item.bytes, reason: item.reason))
                }
                for upload in try store.pendingUploads() where pruning.now.timeIntervalSince(upload.started) > Double(pruning.graceSeconds) {
                    uploads.append((store, upload))
                    plan.leftovers.append(.init(store: store.address, key: upload.key, bytes: 0, reason: "an upload begun \(upload.started) and never finished"))
                }
            }
            guard anyRetention else {
                throw Problem(origin: "--keep", reason: "how many to keep is needed: --keep N or --max-age DURATION, or retention: in site.yml")
            }
            return ((), "\(plan.pruned.count) artifacts and \(plan.leftovers.count) leftovers to remove, \(plan.spared.count) spared")
        }
        if !victims.isEmpty {
            var withdrawal = Withdrawal.Request(filenames: victims, reason: reason, keepObjects: false)
            withdrawal.temporaryRecord = true
            try Withdrawal.perform(withdrawal, request, steps: steps, summary: &summary, log: log)
        }
        if !leftovers.isEmpty || !uploads.isEmpty {
            try steps.run("Remove leftovers") { () throws(Problem) in
                for (store, key) in leftovers { try steps.writes.delete(store, key) }
                for (store, upload) in uploads where !request.dryRun { try store.abort(upload) }
                for (store, names) in interrupted { try WithdrawnRecord.remove(names, from: store, writes: steps.writes, log: log) }
                return ((), "\(leftovers.count) objects, \(uploads.count) unfinished uploads")
            }
        }
        steps.summarize(&summary)
        return (summary, plan)
    }

    /// The reason prune records, by which a later prune knows the artifacts it has to finish.
    static let reason = "pruned by retention"

    /// The artifacts the permalinks lead to now: never pruned, whatever the plan says.
    private static func targets(_ artifacts: [PublishedArtifact], _ store: ObjectStore, layout: PublishedLayout) throws(Problem) -> Set<String> {
        var found = Set<String>()
        let keys = Set(artifacts.flatMap { layout.permalinks(of: $0).bucketKeys })
        for key in keys.sorted() {
            guard let location = try store.head(key)?.headers.websiteRedirect else { continue }
            found.insert(PermalinkMove.artifactName(location))
        }
        return found
    }

    /// Objects named as artifacts are, in no catalog, older than the grace period: a sidecar whose
    /// artifact is gone, or an artifact whose `.json` never came (its run failed before).
    private static func leftoversIn(_ listing: [ObjectInfo], catalog: Set<String>, now: Date, graceSeconds: Int64) -> [(key: String, bytes: Int64, reason: String)] {
        let present = Set(listing.map(\.key))
        var found: [(key: String, bytes: Int64, reason: String)] = []
        for object in listing where !object.key.contains("/") {
            guard now.timeIntervalSince(object.lastModified ?? .distantFuture) > Double(graceSeconds) else { continue }
            if PackProfile.isArtifactName(object.key), !catalog.contains(object.key), !present.contains(PublishedLayout.metadataKey(of: object.key)) {
                found.append((object.key, object.size, "an artifact without its .json (a failed run's)"))
                for key in [PublishedLayout.checksumKey(of: object.key), PublishedLayout.signatureKey(of: object.key)] {
                    if let sidecar = listing.first(where: { $0.key == key }) {
                        found.append((sidecar.key, sidecar.size, "\(key.dropFirst(object.key.count)) of an artifact without its .json"))
                    }
                }
                continue
            }
            for suffix in PublishedLayout.companionSuffixes.dropFirst() where object.key.hasSuffix(suffix) {
                let artifact = String(object.key.dropLast(suffix.count))
                guard PackProfile.isArtifactName(artifact), !present.contains(artifact), !catalog.contains(artifact) else { continue }
                found.append((object.key, object.size, "\(suffix) of an artifact that is not there"))
                break
            }
        }
        return found
    }
}

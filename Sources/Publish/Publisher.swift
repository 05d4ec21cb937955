import Catalog
import Infrastructure
import Foundation
import Pipeline
import Storage

/// `shots publish`: the final step of the snapshot Job, as named steps that are logged with their
/// times. Artifact first, then its checksum, signature and metadata; base.json merged (the one
/// shared, conditional write); the site built from every network's base.json as it now is, its
/// catalog and changed pages uploaded; permalinks last. A failing step names itself, and the
/// pages and permalinks already published stay as they were.
public enum Publisher {
    static let siteRounds = 10

    public static func run(_ request: PublishRequest, log: @escaping (String) -> Void) throws(Problem) -> PublishSummary {
        var summary = PublishSummary()
        let steps = PublishSteps(writes: writes(for: request), log: log)
        let writes = steps.writes
        try? FileManager.default.createDirectory(atPath: request.scratch, withIntermediateDirectories: true)

        // `shots redirects` publishes no artifact: only the site steps, from the catalogs as they are.
        var packed: ArtifactUpload.Packed?
        if case .catalogs = request.source {} else {
            let uploaded: ArtifactUpload.Packed? = try steps.run("Upload artifact") { () throws(Problem) in
                switch request.source {
                case .catalogs: return (nil, "")
                case .pack(let pack, let progress):
                    let packed = try ArtifactUpload.pack(pack, progress: progress, stores: request.networkStores, writes: writes, scratch: request.scratch)
                    return (packed, packed.map { "\($0.store.address)/\($0.artifact.filename)" } ?? "would pack into the network's store")
                case .packed(let path):
                    let progress = PackProgress.forStandardError(label: "uploading", quiet: request.dryRun)
                    let packed = try ArtifactUpload.upload(path, family: request.config.family, stores: request.networkStores, writes: writes, progress: progress)
                    return (packed, "\(packed.store.address)/\(packed.artifact.filename)")
                }
            }
            summary.artifact = uploaded.map { ($0.artifact.filename, $0.artifact.network, $0.artifact.blockHeight) }
            guard let uploaded else {
                steps.summarize(&summary)
                return summary
            }
            try steps.run("Upload checksum, signature and metadata") { () throws(Problem) in
                ((), "\(try ArtifactUpload.uploadCompanions(uploaded, writes: writes)) files")
            }
            if !request.dryRun { ConditionProbe.check(uploaded.store, key: PublishedLayout.metadataKey(of: uploaded.artifact.filename), data: uploaded.metadata, log: log) }
            // Polkadot and Kusama chains keep no base.json: their metadata objects are the catalog.
            if request.config.layout.catalogKey != nil {
                let merged = try steps.run("Merge base.json") { () throws(Problem) in
                    let outcome = try BaseCatalogUpdate.run(store: uploaded.store, adding: (uploaded.artifact.filename, uploaded.metadata), writes: writes, scratch: request.scratch, log: log)
                    for reject in outcome.rejects { log("warning: \(reject)") }
                    return (outcome, "\(outcome.catalog.count) artifacts (\(outcome.added) new)" + (outcome.retries > 0 ? ", merged again \(outcome.retries) times" : ""))
                }
                summary.baseRetries = merged.retries
            }
            packed = uploaded
        }
        try publishSite(request, pending: packed, steps: steps, summary: &summary, log: log)
        steps.summarize(&summary)
        return summary
    }

    /// Every write goes through one `StoreWrites`: each store's objects get that store's ACL.
    static func writes(for request: PublishRequest) -> StoreWrites {
        let apart = request.permalinkStores.filter { request.networkStores[$0.key] !== $0.value }.map(\.value)
        return StoreWrites(dryRun: request.dryRun, acl: request.acl, siteACL: request.siteACL, siteStores: [request.siteStore] + apart)
    }

    /// The site from the stores' catalogs (plus `pending`, an artifact a dry run did not merge):
    /// build, catalog, pages, permalinks last, again while another publisher changes a catalog.
    static func publishSite(_ request: PublishRequest, pending packed: ArtifactUpload.Packed?, steps: PublishSteps,
                            summary: inout PublishSummary, log: @escaping (String) -> Void) throws(Problem) {
        let writes = steps.writes
        // A dry run wrote no base.json: its site is built from the stores plus this artifact, to
        // show the pages and permalinks the run would change.
        if request.dryRun {
            let built = try steps.run("Build site") { () throws(Problem) in
                let built = try SiteUpload.build(request, pending: packed, log: log)
                return (built, "\(built.files.count) files from \(built.artifacts.count) artifacts")
            }
            try steps.run("Plan catalog, pages and permalinks") { () throws(Problem) in
                _ = try SiteUpload.uploadCatalog(built, request, writes: writes)
                let pages = try SiteUpload.uploadPages(built, request, writes: writes)
                let moved = try PermalinkMove.run(built, request, writes: writes, log: log)
                summary.permalinkMoves = moved.moves
                return ((), "\(pages.written) pages would change, \(moved.moves.count) permalinks would move")
            }
            return
        }
        // Another publisher may write base.json while this one builds and uploads the site from
        // an older view: then the site is published again from the newer one, so the last site
        // published is always the one the full base.json implies.
        for round in 1...siteRounds {
            let built = try steps.run("Build site") { () throws(Problem) in
                let built = try SiteUpload.build(request, log: log)
                return (built, "\(built.files.count) files from \(built.artifacts.count) artifacts")
            }
            if let gate = request.freshnessGate {
                // Before anything of the site changes: a node out of sync leaves catalog, pages and permalinks as they were.
                try steps.run("Check the node is in sync") { () throws(Problem) in
                    let head = try gate.check()
                    return ((), "block \(head.height) from \(head.timestamp)")
                }
            }
            try steps.run("Upload catalog") { () throws(Problem) in
                let count = try SiteUpload.uploadCatalog(built, request, writes: writes)
                return ((), count == 0 ? "unchanged" : "\(count) files")
            }
            try steps.run("Upload pages") { () throws(Problem) in
                let pages = try SiteUpload.uploadPages(built, request, writes: writes)
                return ((), "\(pages.written) changed, \(pages.unchanged) unchanged")
            }
            try steps.run("Move permalinks") { () throws(Problem) in
                let moved = try PermalinkMove.run(built, request, writes: writes, log: log)
                summary.permalinkMoves += moved.moves
                return ((), "\(moved.moved) moved, \(moved.unchanged) unchanged" + (moved.kept.isEmpty ? "" : ", \(moved.kept.count) kept at a newer artifact"))
            }
            guard try SiteUpload.isStale(built, request) else { break }
            if round == siteRounds {
                let catalogs = request.networkStores.values.map(\.address).sorted().joined(separator: ", ")
                throw Problem(origin: catalogs, reason: "the catalog kept changing while the site was published; run again to publish the newest")
                    .inStep("Move permalinks")
            }
            log("base.json changed while the site was published (another publisher): publishing the site again")
        }
    }
}

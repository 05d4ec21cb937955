import Catalog
import Infrastructure
import Foundation
import Storage

/// `shots withdraw`: pulls bad artifacts so that no page or permalink ever leads to a missing
/// object. The withdrawal is recorded first (`WithdrawnRecord`: no merge brings it back) and the
/// artifact taken out of base.json; then the site is published from the catalogs without it, so
/// every permalink moves to the next-best artifact (or, when none is left of its kind, is
/// removed); only then are its objects deleted. Another publisher building its site meanwhile
/// reads the shrunk base.json, or finds it changed and publishes again.
public enum Withdrawal {
    public struct Request {
        public var filenames: [String]
        public var reason: String
        /// Leave the objects in the store (only the catalogs, pages and permalinks change).
        public var keepObjects: Bool
        /// Take the names out of the record once the objects are gone (prune: no `.json` is left
        /// to merge back, and the record does not grow with every retention run).
        var temporaryRecord = false

        public init(filenames: [String], reason: String, keepObjects: Bool) {
            self.filenames = filenames
            self.reason = reason
            self.keepObjects = keepObjects
        }
    }

    public static func run(_ withdrawal: Request, _ request: PublishRequest, log: @escaping (String) -> Void) throws(Problem) -> PublishSummary {
        var summary = PublishSummary()
        let steps = PublishSteps(writes: Publisher.writes(for: request), log: log)
        try? FileManager.default.createDirectory(atPath: request.scratch, withIntermediateDirectories: true)
        try perform(withdrawal, request, steps: steps, summary: &summary, log: log)
        steps.summarize(&summary)
        return summary
    }

    static func perform(_ withdrawal: Request, _ request: PublishRequest, steps: PublishSteps, summary: inout PublishSummary,
                        log: @escaping (String) -> Void) throws(Problem) {
        var request = request
        request.withdrawing = Set(withdrawal.filenames)

        let found = try steps.run("Find artifacts") { () throws(Problem) in
            let found = try locate(withdrawal.filenames, request)
            return (found, found.map { "\($0.store.address)/\($0.artifact.filename)" }.joined(separator: ", "))
        }
        let byNetwork = Dictionary(grouping: found, by: \.artifact.network)
        try steps.run("Record withdrawal") { () throws(Problem) in
            let time = HTTPDate.iso8601(Date())
            for (_, artifacts) in byNetwork.sorted(by: { $0.key < $1.key }) {
                let entries = artifacts.map { WithdrawnRecord.Entry(filename: $0.artifact.filename, reason: withdrawal.reason, withdrawnAt: time) }
                try WithdrawnRecord.add(entries, to: artifacts[0].store, writes: steps.writes, log: log)
            }
            return ((), "\(found.count) in \(WithdrawnRecord.key)")
        }
        if request.config.layout.catalogKey != nil {
            try steps.run("Shrink base.json") { () throws(Problem) in
                var removed = 0
                for (_, artifacts) in byNetwork.sorted(by: { $0.key < $1.key }) {
                    let names = Set(artifacts.map(\.artifact.filename))
                    removed += steps.writes.dryRun ? names.count
                        : try BaseCatalogUpdate.remove(names, store: artifacts[0].store, writes: steps.writes, scratch: request.scratch, log: log)
                }
                return ((), "\(removed) taken out")
            }
        }
        try Publisher.publishSite(request, pending: nil, steps: steps, summary: &summary, log: log)
        try steps.run("Remove permalinks left without a target") { () throws(Problem) in
            var removed = 0
            // What the site step rewrote (or, in a dry run, would rewrite) has a target already.
            let rewritten = Set(steps.writes.written.map { "\($0.store)/\($0.key)" })
            for item in found { removed += try removeLeftoverPermalinks(item.artifact, request, writes: steps.writes, rewritten: rewritten) }
            return ((), "\(removed) removed")
        }
        if !withdrawal.keepObjects {
            try steps.run("Delete objects") { () throws(Problem) in
                var deleted = 0
                for item in found {
                    // The metadata goes last: while the artifact is there, so is what describes it.
                    for key in PublishedLayout.objects(of: item.artifact.filename) where try item.store.head(key) != nil {
                        try steps.writes.delete(item.store, key)
                        deleted += 1
                    }
                }
                return ((), "\(deleted) objects")
            }
            if withdrawal.temporaryRecord {
                try steps.run("Clear the record") { () throws(Problem) in
                    for (_, artifacts) in byNetwork.sorted(by: { $0.key < $1.key }) {
                        try WithdrawnRecord.remove(Set(artifacts.map(\.artifact.filename)), from: artifacts[0].store, writes: steps.writes, log: log)
                    }
                    return ((), "\(found.count) taken out of \(WithdrawnRecord.key)")
                }
            }
        }
    }

    /// Each filename's network store and metadata: in a catalog, or already withdrawn with its
    /// objects left (a second run, or one after `--keep-objects`).
    private static func locate(_ filenames: [String], _ request: PublishRequest) throws(Problem) -> [(store: ObjectStore, artifact: PublishedArtifact)] {
        var found: [String: (store: ObjectStore, artifact: PublishedArtifact)] = [:]
        for (_, store) in request.networkStores.sorted(by: { $0.key < $1.key }) {
            let wanted = Set(filenames).subtracting(found.keys)
            if wanted.isEmpty { break }
            let read = try StoreCatalog.read(store, layout: request.config.layout)
            for artifact in read?.artifacts ?? [] where wanted.contains(artifact.filename) { found[artifact.filename] = (store, artifact) }
            for name in wanted.subtracting(found.keys) {
                guard let object = try store.get(PublishedLayout.metadataKey(of: name)) else { continue }
                let origin = "\(store.address)/" + PublishedLayout.metadataKey(of: name)
                found[name] = (store, try PublishedArtifact(try parse(object.data, origin), family: request.config.family, origin: origin))
            }
        }
        if let missing = filenames.first(where: { found[$0] == nil }) {
            let searched = request.networkStores.values.map(\.address).sorted().joined(separator: ", ")
            throw Problem(origin: missing, reason: "is in no network's catalog and has no .json in its store (searched \(searched))")
        }
        return filenames.compactMap { found[$0] }
    }

    private static func parse(_ data: Data, _ origin: String) throws(Problem) -> JSONValue {
        do throws(JSONSyntaxError) { return try JSONParser.parse(data) } catch { throw Problem(origin: origin, reason: "\(error)") }
    }

    /// A permalink of the artifact's kind that still leads to it has no other artifact to lead to
    /// (the plan left it out): its redirect object and the site's redirect pages go.
    private static func removeLeftoverPermalinks(_ artifact: PublishedArtifact, _ request: PublishRequest, writes: StoreWrites,
                                                 rewritten: Set<String>) throws(Problem) -> Int {
        guard let store = request.permalinkStores[artifact.network] ?? request.networkStores[artifact.network] else { return 0 }
        var removed = 0
        let permalinks = request.config.layout.permalinks(of: artifact)
        for key in permalinks.bucketKeys {
            guard !rewritten.contains("\(store.address)/\(key)"), let location = try store.head(key)?.headers.websiteRedirect,
                  PermalinkMove.artifactName(location) == artifact.filename else { continue }
            try writes.delete(store, key)
            removed += 1
        }
        for path in permalinks.sitePaths {
            let key = PublishedLayout.pageKey(sitePath: path)
            guard !rewritten.contains("\(request.siteStore.address)/\(key)"), let page = try request.siteStore.get(key),
                  String(decoding: page.data, as: UTF8.self).contains(artifact.filename) else { continue }
            try writes.delete(request.siteStore, key)
            removed += 1
        }
        return removed
    }
}

import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Site
import Storage

/// The website from what the stores hold now: every network's catalog is read again (the base.json
/// just written among them, not this publisher's older view), the site is built in the scratch
/// folder, and only files whose bytes changed are uploaded. Permalink files (`_redirects`,
/// `redirects.json`, redirect pages) wait for the last step.
enum SiteUpload {
    static let catalogKey = PublishedLayout.siteCatalogKey

    struct Built {
        var folder: String
        var artifacts: [String: PublishedArtifact]
        var files: [String]
        var permalinkFiles: Set<String>
        var redirects: [Redirect]
        /// The version of each network's catalog the site was built from (`StoreCatalog.version`).
        var catalogVersions: [String: String]
    }

    /// Whether a network's catalog changed since `built` read it: another publisher wrote.
    static func isStale(_ built: Built, _ request: PublishRequest) throws(Problem) -> Bool {
        for (network, version) in built.catalogVersions {
            guard let store = request.networkStores[network] else { continue }
            if try StoreCatalog.version(store, layout: request.config.layout) != version { return true }
        }
        return false
    }

    /// `pending` is an artifact not in its catalog yet (a dry run's): the site is built as if it were.
    static func build(_ request: PublishRequest, pending: ArtifactUpload.Packed? = nil, log: (String) -> Void) throws(Problem) -> Built {
        var sources: [String] = []
        var artifacts: [String: PublishedArtifact] = [:]
        if let pending {
            let folder = "\(request.scratch)/catalogs/pending"
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: folder + "/" + PublishedLayout.metadataKey(of: pending.artifact.filename), contents: pending.metadata) else {
                throw Problem(origin: folder, reason: "cannot write the artifact's metadata for the plan")
            }
            artifacts[pending.artifact.filename] = pending.artifact
            sources.append(folder)
        }
        var versions: [String: String] = [:]
        for network in request.config.networks.map(\.id) {
            guard let store = request.networkStores[network] else { continue }
            guard let read = try StoreCatalog.read(store, layout: request.config.layout, excluding: request.withdrawing) else {
                log("\(store.address): no catalog yet, so no \(network) artifacts on the site")
                continue
            }
            versions[network] = read.version
            for artifact in read.artifacts { artifacts[artifact.filename] = artifact }
            sources.append(try copy(read, into: "\(request.scratch)/catalogs/\(network)", layout: request.config.layout))
        }
        let output = request.scratch + "/site"
        try? FileManager.default.removeItem(atPath: output)
        var options = BuildOptions(siteFolder: request.siteFolder, templatesFolder: request.templatesFolder, outputFolder: output,
                                   sources: sources, environment: request.environment)
        options.previewOrigin = request.previewOrigin
        options.sourcesAreEveryCatalog = true
        let redirects = try SiteBuild.run(options).redirects
        let files = try listFiles(output)
        let permalinkFiles = Set([PublishedLayout.redirectRulesKey, PublishedLayout.redirectPlanKey]
            + redirects.compactMap { $0.sitePath.map { PublishedLayout.pageKey(sitePath: $0) } })
        return Built(folder: output, artifacts: artifacts, files: files, permalinkFiles: permalinkFiles, redirects: redirects,
                     catalogVersions: versions)
    }

    /// Where the build reads a store's catalog: its base.json, or a folder of its metadata objects.
    private static func copy(_ catalog: StoreCatalog, into folder: String, layout: PublishedLayout) throws(Problem) -> String {
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, data) in catalog.documents { try BaseCatalogUpdate.write(data, to: folder + "/" + name) }
        return layout.catalogKey.map { folder + "/" + $0 } ?? folder
    }

    /// tezos-snapshots.json as the build wrote it, and its minisign signature when a key is given.
    static func uploadCatalog(_ built: Built, _ request: PublishRequest, writes: StoreWrites) throws(Problem) -> Int {
        guard let document = FileManager.default.contents(atPath: built.folder + "/" + catalogKey) else { return 0 }
        var count = 0
        if try changed(catalogKey, document, in: request.siteStore) {
            _ = try writes.put(request.siteStore, catalogKey, document, cacheControl: PublishedLayout.changingCacheControl)
            count += 1
        }
        if let key = request.signingKey {
            let comment = "timestamp:\(Int(Date().timeIntervalSince1970))\tfile:\(catalogKey)\thashed"
            let signature = Data(try key.signature(of: document, trustedComment: comment).utf8)
            // The signature follows the document: a client never sees a new signature over an old file.
            let unsigned = try request.siteStore.head(PublishedLayout.siteCatalogSignatureKey) == nil
            if count > 0 || unsigned {
                _ = try writes.put(request.siteStore, PublishedLayout.siteCatalogSignatureKey, signature, cacheControl: PublishedLayout.changingCacheControl)
                count += 1
            }
        } else if count > 0, try request.siteStore.head(PublishedLayout.siteCatalogSignatureKey) != nil {
            // Published unsigned over a signed catalog: the old signature would fail every check.
            try writes.delete(request.siteStore, PublishedLayout.siteCatalogSignatureKey)
        }
        return count
    }

    /// Every other built file whose bytes differ from the store's.
    static func uploadPages(_ built: Built, _ request: PublishRequest, writes: StoreWrites) throws(Problem) -> (written: Int, unchanged: Int) {
        let existing = Dictionary(try request.siteStore.list(prefix: "").map { ($0.key, $0.etag) }, uniquingKeysWith: { first, _ in first })
        var written = 0
        var unchanged = 0
        for key in built.files where !built.permalinkFiles.contains(key) && key != catalogKey {
            guard let data = FileManager.default.contents(atPath: built.folder + "/" + key) else { continue }
            if existing[key] == Hex.md5(data) {
                unchanged += 1
                continue
            }
            _ = try writes.put(request.siteStore, key, data, cacheControl: PublishedLayout.pageCacheControl(key: key))
            written += 1
        }
        return (written, unchanged)
    }

    static func changed(_ key: String, _ data: Data, in store: ObjectStore) throws(Problem) -> Bool {
        try store.head(key)?.etag != Hex.md5(data)
    }

    /// The files of the built site, relative, without the build's own bookkeeping (`.shots-*`).
    static func listFiles(_ folder: String) throws(Problem) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw Problem(origin: folder, reason: "the built site cannot be read")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".shots-") }) { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue { files.append(relative) }
        }
        return files.sorted()
    }
}

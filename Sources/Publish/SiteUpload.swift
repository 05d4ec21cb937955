import Catalog
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
    static let catalogKey = "tezos-snapshots.json"

    struct Built {
        var folder: String
        var artifacts: [String: PublishedArtifact]
        var files: [String]
        var permalinkFiles: Set<String>
        var redirects: [JSONObject]
        /// The version of each network's catalog the site was built from (`StoreCatalog.version`).
        var catalogVersions: [String: String]
    }

    /// Whether a network's catalog changed since `built` read it: another publisher wrote.
    static func isStale(_ built: Built, _ request: PublishRequest) throws(Problem) -> Bool {
        for (network, version) in built.catalogVersions {
            guard let store = request.networkStores[network] else { continue }
            if try StoreCatalog.version(store, family: request.config.family) != version { return true }
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
            guard FileManager.default.createFile(atPath: "\(folder)/\(pending.artifact.filename).json", contents: pending.metadata) else {
                throw Problem(origin: folder, reason: "cannot write the artifact's metadata for the plan")
            }
            artifacts[pending.artifact.filename] = pending.artifact
            sources.append(folder)
        }
        var versions: [String: String] = [:]
        for network in request.config.networks.map(\.id) {
            guard let store = request.networkStores[network] else { continue }
            guard let read = try StoreCatalog.read(store, family: request.config.family, into: "\(request.scratch)/catalogs/\(network)",
                                                   excluding: request.withdrawing) else {
                log("\(store.address): no catalog yet, so no \(network) artifacts on the site")
                continue
            }
            versions[network] = read.version
            for artifact in read.artifacts { artifacts[artifact.filename] = artifact }
            sources.append(read.source)
        }
        let output = request.scratch + "/site"
        try? FileManager.default.removeItem(atPath: output)
        var options = BuildOptions(siteFolder: request.siteFolder, templatesFolder: request.templatesFolder, outputFolder: output,
                                   sources: sources, environment: request.environment)
        options.previewOrigin = request.previewOrigin
        _ = try SiteBuild.run(options)
        let files = try listFiles(output)
        var redirects: [JSONObject] = []
        if let data = FileManager.default.contents(atPath: output + "/redirects.json"),
           case .object(let document)? = try? JSONParser.parse(data), case .array(let list)? = document["redirects"] {
            redirects = list.compactMap { if case .object(let redirect) = $0 { redirect } else { nil } }
        }
        var permalinkFiles: Set<String> = ["_redirects", "redirects.json"]
        for redirect in redirects {
            if case .string(let path)? = redirect["site_path"] { permalinkFiles.insert(String(path.dropFirst()) + "/index.html") }
        }
        return Built(folder: output, artifacts: artifacts, files: files, permalinkFiles: permalinkFiles, redirects: redirects,
                     catalogVersions: versions)
    }

    /// tezos-snapshots.json as the build wrote it, and its minisign signature when a key is given.
    static func uploadCatalog(_ built: Built, _ request: PublishRequest, writes: StoreWrites) throws(Problem) -> Int {
        guard let document = FileManager.default.contents(atPath: built.folder + "/" + catalogKey) else { return 0 }
        var count = 0
        if try changed(catalogKey, document, in: request.siteStore) {
            _ = try writes.put(request.siteStore, catalogKey, document, cacheControl: "no-cache")
            count += 1
        }
        if let key = request.signingKey {
            let comment = "timestamp:\(Int(Date().timeIntervalSince1970))\tfile:\(catalogKey)\thashed"
            let signature = Data(try key.signature(of: document, trustedComment: comment).utf8)
            // The signature follows the document: a client never sees a new signature over an old file.
            let unsigned = try request.siteStore.head(catalogKey + ".minisig") == nil
            if count > 0 || unsigned {
                _ = try writes.put(request.siteStore, catalogKey + ".minisig", signature, cacheControl: "no-cache")
                count += 1
            }
        } else if count > 0, try request.siteStore.head(catalogKey + ".minisig") != nil {
            // Published unsigned over a signed catalog: the old signature would fail every check.
            try writes.delete(request.siteStore, catalogKey + ".minisig")
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
            _ = try writes.put(request.siteStore, key, data, cacheControl: cacheControl(key))
            written += 1
        }
        return (written, unchanged)
    }

    static func changed(_ key: String, _ data: Data, in store: ObjectStore) throws(Problem) -> Bool {
        try store.head(key)?.etag != Hex.md5(data)
    }

    /// Pages and feeds change with every artifact: browsers check again after five minutes.
    static func cacheControl(_ key: String) -> String {
        key.hasPrefix("assets/") ? "public, max-age=86400" : "public, max-age=300"
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

import Catalog
import Infrastructure
import Foundation
import Storage

/// The last step. Each network store's permalinks become website-redirect objects
/// (`Cache-Control: no-cache`; S3 website hosting answers 301) in that store, or in the network's
/// permalink store leading to the artifacts' absolute URLs, then the site's `_redirects`,
/// `redirects.json` and redirect pages. A permalink moves only to an object confirmed complete
/// (HEAD: there, and of the size its metadata gives), and never to an artifact the newest rule
/// (`PublishedLayout.isNewer`) ranks below the one it leads to now: a Job finishing late cannot
/// move a permalink backwards, and the bucket's permalink leads where the site's `_redirects` does.
enum PermalinkMove {
    struct Outcome {
        var moved = 0
        var unchanged = 0
        var kept: [String] = []
        /// Each permalink moved (or, in a dry run, that would move): where it led and leads now.
        var moves: [PermalinkChange] = []
    }

    static func run(_ built: SiteUpload.Built, _ request: PublishRequest, writes: StoreWrites, log: (String) -> Void) throws(Problem) -> Outcome {
        var outcome = Outcome()
        var incomplete: [Problem] = []
        for redirect in built.redirects {
            guard let key = redirect.bucketKey, let store = request.networkStores[redirect.network] else { continue }
            let (network, bucketLocation, absolute) = (redirect.network, redirect.bucketLocation, redirect.location)
            let permalinks = request.permalinkStores[network] ?? store
            // A bucket-relative location (`/file`) leads to the artifact only from its own bucket,
            // and from the bucket's root: a store under a prefix has it in its locations.
            let location = permalinks !== store ? absolute
                : bucketLocation.hasPrefix("/") ? store.websitePath + bucketLocation.dropFirst() : bucketLocation
            let current = try permalinks.head(key)?.headers.websiteRedirect
            if current == location { outcome.unchanged += 1; continue }
            if bucketLocation.hasPrefix("/") {
                let target = String(bucketLocation.dropFirst())
                if let current, let now = artifact(fileName(current), built), let next = artifact(target, built), PublishedLayout.isNewer(now, than: next) {
                    outcome.kept.append("\(permalinks.address)/\(key) stays at \(current): newer than \(location)")
                    log(outcome.kept.last!)
                    continue
                }
                do throws(Problem) { try confirmComplete(target, in: store, built, writes: writes) } catch {
                    incomplete.append(error)
                    continue
                }
            }
            _ = try writes.put(permalinks, key, Data(), cacheControl: PublishedLayout.changingCacheControl, redirect: location)
            outcome.moved += 1
            outcome.moves.append(PermalinkChange(store: permalinks.address, key: key, from: current, to: location))
        }
        // The site's permalinks lead where the buckets' do: none moves while one target is missing.
        if let first = incomplete.first {
            throw Problem(origin: first.origin, reason: first.reason + (incomplete.count > 1 ? " (and \(incomplete.count - 1) more permalink targets)" : ""))
        }
        for key in built.files where built.permalinkFiles.contains(key) {
            guard let data = FileManager.default.contents(atPath: built.folder + "/" + key) else { continue }
            if try !SiteUpload.changed(key, data, in: request.siteStore) { outcome.unchanged += 1; continue }
            _ = try writes.put(request.siteStore, key, data, cacheControl: PublishedLayout.changingCacheControl)
            outcome.moved += 1
        }
        return outcome
    }

    /// The file a redirect location leads to: the last part of `/[prefix/]file` or of a URL.
    static func fileName(_ location: String) -> String {
        (location.hasPrefix("/") ? location : URL(string: location)?.path ?? location).split(separator: "/").last.map(String.init) ?? location
    }

    /// The artifact a permalink leads to, itself or through its metadata (`-metadata` permalinks).
    static func artifactName(_ location: String) -> String {
        let file = fileName(location)
        return PublishedLayout.artifactName(ofMetadataKey: file) ?? file
    }

    /// The artifact (or the artifact a `.json` describes) named by a redirect target.
    private static func artifact(_ target: String, _ built: SiteUpload.Built) -> PublishedArtifact? {
        built.artifacts[target] ?? PublishedLayout.artifactName(ofMetadataKey: target).flatMap { built.artifacts[$0] }
    }

    private static func confirmComplete(_ target: String, in store: ObjectStore, _ built: SiteUpload.Built, writes: StoreWrites) throws(Problem) {
        if writes.dryRun, writes.written.contains(where: { $0.store == store.address && $0.key == target }) { return }
        guard let object = try store.head(target) else {
            throw Problem(origin: "\(store.address)/\(target)", reason: "a permalink would lead here, but there is no such object; the permalink stays where it was")
        }
        if let artifact = built.artifacts[target], object.size != artifact.filesizeBytes {
            throw Problem(origin: "\(store.address)/\(target)", reason: "is \(object.size) bytes, but its metadata says \(artifact.filesizeBytes): incomplete or not the published artifact; the permalink stays where it was")
        }
    }
}

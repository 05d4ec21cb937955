import Catalog
import Infrastructure
import Foundation
import Preview
import Publish
import ShotsConfiguration
import Site
import Storage

/// `shots serve --watch`: looks at the site folder, the themes folder and the network stores'
/// catalogs twice a second; once a change has settled (no further change for 0.4 s), the pages
/// and permalinks are made again from them into the served folder stores, as `shots redirects
/// --preview` would. A failed rebuild leaves the last good site served and reports its one-line
/// error on the terminal and on the open pages.
final class SiteWatcher: @unchecked Sendable {
    private let site: String
    private let served: PreviewSite
    private let live: LiveReload
    private let origin: String

    init(site: String, served: PreviewSite, live: LiveReload, origin: String) {
        self.site = site
        self.served = served
        self.live = live
        self.origin = origin
    }

    func start() {
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    private func watch() {
        var built = fingerprint()
        rebuild()  // the served pages then lead to this server, whatever they were published for
        built = fingerprint()
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            var now = fingerprint()
            guard now != built else { continue }
            repeat {  // debounce: an editor saves in several writes
                Thread.sleep(forTimeInterval: 0.4)
                let settled = fingerprint()
                if settled == now { break }
                now = settled
            } while true
            rebuild()
            built = fingerprint()
        }
    }

    /// Sizes and times of every file the site is made from (not of what a rebuild writes).
    private func fingerprint() -> [String: String] {
        var found: [String: String] = [:]
        let environment = ProcessInfo.processInfo.environment
        var folders = [site]
        let themes = BuildOptions.defaultTemplatesFolder(site: site, environment: environment)
        if FileManager.default.fileExists(atPath: themes) { folders.append(themes) }
        for folder in folders {
            let walker = FileManager.default.enumerator(atPath: folder)
            while let relative = walker?.nextObject() as? String {
                let path = folder + "/" + relative
                if let attributes = try? FileManager.default.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular {
                    found[path] = "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
                }
            }
        }
        for (_, store) in served.networkStores {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? [] where name.hasSuffix(".json") {
                let path = store + "/" + name
                if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
                    found[path] = "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
                }
            }
        }
        return found
    }

    private func rebuild() {
        let scratch = ScratchFolder(verb: "serve")
        defer { scratch.remove() }
        let environment = ProcessInfo.processInfo.environment
        let started = Date()
        do throws(Problem) {
            let config = try SiteConfig.load(folder: site)
            var stores: [String: ObjectStore] = [:]
            for (network, folder) in served.networkStores where FileManager.default.fileExists(atPath: folder) {
                stores[network] = try DirectoryStore(path: folder)
            }
            var request = PublishRequest(source: .catalogs, config: config, siteFolder: site,
                                         templatesFolder: BuildOptions.defaultTemplatesFolder(site: site, environment: environment),
                                         networkStores: stores, siteStore: try DirectoryStore(path: served.siteStore), signingKey: nil, acl: nil,
                                         scratch: scratch.path, environment: environment)
            request.previewOrigin = origin
            let summary = try Publisher.run(request, log: { _ in })
            live.rebuilt()
            standardError(String(format: "shots serve: rebuilt in %.2f s: %d files written, %d permalinks moved",
                                 Date().timeIntervalSince(started), summary.written.count, summary.permalinkMoves.count))
        } catch {
            live.failed("\(error)")
            standardError("shots serve: the site does not build (the last good one stays served): \(error)")
        }
    }
}

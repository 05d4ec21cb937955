import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Preview
import ShotsConfiguration
import Storage

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the published site and its stores as their hosts would serve them.",
        discussion: """
            Serves the website's folder store at / and each network's at /store/<network>/, on one \
            port, so every link of a site published with --preview works through the system \
            resolver (browsers, curl, the tezos-k8s scripts). Answers as S3 website hosting and \
            the site's _redirects do: index.html for folders, website-redirect objects as 301, \
            _redirects rules, the site's 404.html with 404; HEAD and Range (206, 416). Bytes are \
            served as published, the signed catalog included. /health reports each network's \
            newest block age, 503 when one is older than --max-age or has no artifact.

            Examples:
              make run && shots serve                      # then open http://127.0.0.1:4000/
              shots serve --port 8080 --max-age 36h
            """
    )

    @Option(help: "The site folder whose site.yml names the stores (store:, site_store:).")
    var site = "site"
    @Option(help: "The website's folder store (default: site_store: in site.yml).")
    var siteStore: String?
    @Option(help: "Each network's folder store, {network} replaced (default: store: in site.yml).")
    var store: String?
    @Option(help: "The address to listen on.")
    var bind = PreviewLayout.defaultHost
    @Option(help: "The port to listen on (0: any free one, printed).")
    var port = PreviewLayout.defaultPort
    @Flag(help: "Rebuild the pages and permalinks when the site folder, the themes or a catalog change, and reload open pages (a small script is added to each page, in this mode only).")
    var watch = false
    @Option(help: ArgumentHelp("/health answers 503 when a network's newest block is older than this, e.g. 36h.", valueName: "duration"))
    var maxAge: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port: expected 0 to 65535, found \(port)") }
        if let maxAge, DurationText.seconds(maxAge) == nil { throw ValidationError("--max-age: expected \(DurationText.expectation), found \"\(maxAge)\"") }
    }

    func run() throws {
        var preview: PreviewSite
        do throws(Problem) { preview = try previewSite() } catch { throw fail(error) }
        let live = watch ? LiveReload() : nil
        preview.live = live
        let served = preview
        let site = site
        let host = bind
        let port = port
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task {
            do {
                try await PreviewServer.run(served, host: host, port: port) { listening in
                    let origin = "http://\(host):\(listening)"
                    var lines = ["shots serve: \(served.siteStore) at \(origin)/"]
                    lines += served.networkStores.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value) at \(origin)\(PreviewLayout.storePath(network: $0.key))/" }
                    lines.append("  health: \(origin)/health; stop with Ctrl-C")
                    if live != nil { lines.append("  watching \(site) and the themes: pages rebuild and reload on change") }
                    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                    if let live { SiteWatcher(site: site, served: served, live: live, origin: origin).start() }
                }
            } catch {
                failure = error
            }
            semaphore.signal()
        }
        semaphore.wait()
        if let failure { throw fail(Problem(origin: "\(host):\(port)", reason: "cannot serve: \(failure)")) }
    }

    /// The folder stores to serve, from the flags or site.yml.
    private func previewSite() throws(Problem) -> PreviewSite {
        let config = try SiteConfig.load(folder: site)
        guard let siteAddress = siteStore ?? config.siteStore(siteFolder: site) else {
            throw Problem(origin: "--site-store", reason: "which folder holds the website is needed: --site-store FOLDER, or site_store: in site.yml")
        }
        let siteOrigin = siteStore == nil ? "site_store in \(site)/site.yml" : "--site-store"
        let siteFolder = try Self.folder(siteAddress, origin: siteOrigin)
        let storeOrigin = store == nil ? "store in \(site)/site.yml" : "--store"
        if let store, !SiteConfig.namesEachNetwork(store), config.networks.count > 1 {
            throw Problem(origin: "--store", reason: "\(store) has no {network}: each of the \(config.networks.count) networks needs its own folder, e.g. _build/store/{network}")
        }
        var networks: [String: String] = [:]
        for network in config.networks.map(\.id) {
            let address = store.map { SiteConfig.forNetwork($0, network) } ?? config.store(for: network, siteFolder: site)
            guard let address else { continue }
            networks[network] = try Self.folder(address, origin: storeOrigin)
        }
        // Buckets are named first (above); then every folder must be there.
        try Self.existing(siteFolder, origin: siteOrigin)
        for folder in networks.values.sorted() { try Self.existing(folder, origin: storeOrigin) }
        return PreviewSite(siteStore: siteFolder, networkStores: networks, layout: config.layout, maxAgeSeconds: maxAge.flatMap(DurationText.seconds))
    }

    /// A store to serve is a folder that publish made.
    private static func existing(_ folder: String, origin: String) throws(Problem) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Problem(origin: origin, reason: "\(folder): expected a folder store, found \(FileManager.default.fileExists(atPath: folder) ? "a file" : "nothing"): publish first (make run publishes into _build/store)")
        }
    }

    /// Only folder stores are served: a bucket is served by its own host.
    private static func folder(_ address: String, origin: String) throws(Problem) -> String {
        if StoreAddress.isS3(address) {
            throw Problem(origin: origin, reason: "\(URLSecrets.redacted(address)) is a bucket; shots serve previews folder stores (publish with --store and --site-store folders, as make run does)")
        }
        return try StoreAddress.folderPath(address, flag: origin)
    }
}

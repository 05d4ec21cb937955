import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Mustache

/// `shots build`: the site as a sequence of named steps.
public enum SiteBuild {
    static let steps: [BuildStep] = [
        BuildStep(name: "Read site configuration", run: readConfiguration),
        BuildStep(name: "Load templates", run: loadTemplates),
        BuildStep(name: "Read catalog", run: readCatalog),
        BuildStep(name: "Render pages", run: PageRendering.renderPages),
        BuildStep(name: "Write permalinks", alongside: true, run: writePermalinks),
        BuildStep(name: "Write feeds and catalogs", alongside: true, run: writeDataFiles),
        BuildStep(name: "Save build cache", alongside: true, run: saveCache),
        BuildStep(name: "Write sitemap", run: writeSitemap),
        BuildStep(name: "Copy assets", run: copyAssets),
        BuildStep(name: "Commit output", run: commitOutput),
    ]

    /// Runs every step in order (steps marked `alongside` together with the one before them);
    /// `log` hears each step's name, detail and time as it finishes.
    ///
    /// Nothing in the output folder changes before the last step: a failure at any step leaves
    /// it as the previous build left it.
    public static func run(_ options: BuildOptions, log: (String) -> Void = { _ in }) throws(Problem) -> BuildSummary {
        try run(options, steps: steps, log: log)
    }

    static func run(_ options: BuildOptions, steps: [BuildStep], log: (String) -> Void) throws(Problem) -> BuildSummary {
        try options.checkApart(from: [("site folder", options.siteFolder)]
            + (options.templatesFolder == BuildOptions.builtInThemes ? [] : [("templates folder", options.templatesFolder)]))
        let shared = Unchecked(try BuildContext(options: options))
        do throws(Problem) { try runSteps(steps, shared, log: log) } catch {
            shared.value.output.discard()
            throw error
        }
        let context = shared.value
        context.summary.pages = context.renderedPages
        context.summary.redirects = context.redirects
        context.summary.written = context.output.written
        context.summary.unchanged = context.output.unchanged
        context.summary.removed = context.output.removed
        return context.summary
    }

    /// Each group (a step and those marked `alongside` it) through the one `StepRunner`: a
    /// failure names its step.
    private static func runSteps(_ steps: [BuildStep], _ shared: Unchecked<BuildContext>, log: (String) -> Void) throws(Problem) {
        var groups: [[BuildStep]] = []
        for step in steps {
            if step.alongside, !groups.isEmpty { groups[groups.count - 1].append(step) } else { groups.append([step]) }
        }
        try withoutActuallyEscaping(log) { log throws(Problem) in
            let runner = StepRunner(log: log)
            defer { shared.value.summary.steps = runner.records.map { ($0.name, $0.seconds, $0.detail) } }
            for group in groups {
                if group.count == 1 {
                    try runner.run(group[0].name) { () throws(Problem) in ((), try group[0].run(shared.value)) }
                } else {
                    try runner.runTogether(group.map { step in (step.name, { () throws(Problem) in try step.run(shared.value) }) })
                }
            }
        }
    }

    static func readConfiguration(_ context: BuildContext) throws(Problem) -> String {
        context.config = try SiteConfig.load(folder: context.options.siteFolder)
        if let origin = context.options.previewOrigin { context.config = context.config.previewed(at: origin) }
        return "\(context.config.title), theme \(context.config.theme), \(context.config.networks.count) networks"
    }

    static func readCatalog(_ context: BuildContext) throws(Problem) -> String {
        let sources = context.options.sources.isEmpty && !context.options.sourcesAreEveryCatalog
            ? context.config.sources.map { ($0 as NSString).isAbsolutePath ? $0 : (context.options.siteFolder as NSString).appendingPathComponent($0) }
            : context.options.sources
        guard !sources.isEmpty || context.options.sourcesAreEveryCatalog else {
            throw Problem(origin: "shots build", reason: "no catalog sources: name them on the command line or under sources: in site.yml")
        }
        try context.options.checkApart(from: sources.map { ("catalog source", $0) })
        let siteFiles = SiteFiles(folder: context.options.siteFolder)
        let schema = siteFiles.exists(schemaPath(context)) ? try siteFiles.read(schemaPath(context)) : nil
        switch context.config.family {
        case .tezos where sources.allSatisfy(isFolder):
            // Folders of per-artifact metadata: read only what changed since the previous build.
            let inputs = try BuildCache.fingerprint(config: context.config.source, theme: context.theme, schema: schema, sources: sources,
                                                    environment: context.options.environment)
            let output = context.output.folder
            let intact = context.output.isIntact
            let catalog = try IncrementalCatalog.read(folders: sources, output: output) {
                intact ? BuildCache.load(output: output, inputs: inputs) : nil
            }
            context.summary.rejects = catalog.rejects
            context.summary.warnings = catalog.warnings
            context.content = TezosSite(config: context.config, artifacts: catalog.artifacts, schema: schema,
                                        unchanged: catalog.unchanged, unchangedChunks: catalog.unchangedChunks)
            context.cacheToSave = (inputs, catalog.files)
        case .tezos:
            let merged: MergedCatalog
            do throws(MergeFailure) { merged = try unionOfCatalogs(sources) } catch {
                throw Problem(origin: "catalog", reason: error.description)
            }
            context.summary.rejects = merged.rejects
            context.summary.warnings = merged.warnings
            context.content = TezosSite(config: context.config, artifacts: merged.catalog.artifacts, schema: schema)
        case .polkadot:
            let loaded = try PolkadotArtifact.load(folders: sources)
            context.summary.rejects = loaded.rejects
            context.summary.warnings = loaded.warnings
            context.content = PolkadotSite(config: context.config, artifacts: loaded.artifacts)
        }
        context.summary.artifacts = context.content.artifactCount
        return "\(context.content.artifactCount) artifacts from \(sources.count) sources"
            + (context.summary.rejects.isEmpty ? "" : ", \(context.summary.rejects.count) rejected")
    }

    static func loadTemplates(_ context: BuildContext) throws(Problem) -> String {
        context.theme = try Theme.load(name: context.config.theme, templatesFolder: context.options.templatesFolder,
                                       siteFolder: context.options.siteFolder)
        return "\(context.theme.pages.count) page templates, \(context.theme.files.count) files, theme \(context.theme.folder)"
    }

    static func writePermalinks(_ context: BuildContext) throws(Problem) -> String {
        let redirects = context.content.redirects()
        try context.output.write(PublishedLayout.redirectPlanKey, RedirectPlan.json(redirects))
        try context.output.write(PublishedLayout.redirectRulesKey, RedirectPlan.netlify(redirects))
        for redirect in redirects where context.config.redirectPages {
            guard let path = redirect.sitePath else { continue }
            try context.output.write(PublishedLayout.pageKey(sitePath: path), RedirectPlan.page(redirect))
        }
        context.redirects = redirects
        return "\(redirects.count) redirects (redirects.json, _redirects" + (context.config.redirectPages ? ", HTML pages)" : ")")
    }

    static func writeDataFiles(_ context: BuildContext) throws(Problem) -> String {
        let files = try context.content.dataFiles(environment: context.options.environment)
        for (path, data) in files { try context.output.write(path, data) }
        for path in context.content.unchangedFiles { try context.output.keep(path) }
        guard let key = context.config.signingPublicKey else { return files.map(\.path).joined(separator: ", ") }
        let origin = (context.options.siteFolder as NSString).appendingPathComponent("site.yml")
        try context.output.write(PublishedLayout.sitePublicKeyKey, try publicKeyFile(key, origin: origin))
        return (files.map(\.path) + [PublishedLayout.sitePublicKeyKey]).joined(separator: ", ")
    }

    /// site.yml's `signing_public_key` as minisign's public key file (`shots.pub`), byte for byte
    /// what `minisign -G` writes: a comment naming the key id (the 8 bytes after "Ed",
    /// `MinisignKeyID`), then the key. Published at the site's root for
    /// `shots verify --site`; a site without a key publishes none (and a previous one goes).
    static func publicKeyFile(_ key: String, origin: String) throws(Problem) -> Data {
        guard let bytes = Data(base64Encoded: key).map(Array.init), bytes.count == 42, bytes[0] == 0x45, bytes[1] == 0x64 else {
            throw Problem(origin: origin, reason: "signing_public_key: not a minisign Ed25519 public key (it must decode to 42 bytes starting with \"Ed\", as shots keygen prints it)")
        }
        return Data("untrusted comment: minisign public key \(MinisignKeyID.text(bytes[2..<10]))\n\(key)\n".utf8)
    }

    static func writeSitemap(_ context: BuildContext) throws(Problem) -> String {
        try context.output.write("sitemap.xml", Feeds.sitemap(baseURL: context.config.baseURL, pages: context.sitemapPages))
        return "\(context.sitemapPages.count) pages"
    }

    /// The theme's assets and the site's own (which win), under `/assets/`.
    static func copyAssets(_ context: BuildContext) throws(Problem) -> String {
        for relative in context.theme.assets.keys.sorted() {
            try context.output.write(relative, try context.theme.asset(relative))
        }
        return "\(context.theme.assets.count) files"
    }

    /// Moves everything the steps staged into place, removes stale files, records the build.
    static func commitOutput(_ context: BuildContext) throws(Problem) -> String {
        try context.output.commit()
        return "\(context.output.written) written, \(context.output.unchanged) unchanged, \(context.output.removed) removed"
    }

    /// Remembers what this build read (a Tezos site built from folders), so the next reads less:
    /// the changed networks' parts of tezos-snapshots.json and an index, committed with the output
    /// (a build that fails before its end leaves the previous cache in force).
    static func saveCache(_ context: BuildContext) throws(Problem) -> String {
        guard let (inputs, files) = context.cacheToSave, let site = context.content as? TezosSite else { return "not used for these sources" }
        try BuildCache.save(output: context.output, chunks: site.chunks)
        var cache = BuildCache(inputs: inputs, files: files, networks: site.unchanged)
        for id in site.chunks.keys { cache.networks[id] = site.record(id) }
        try cache.saveIndex(output: context.output)
        return "\(files.count) files, \(site.unchanged.count) of \(cache.networks.count) networks unchanged"
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    private static func schemaPath(_ context: BuildContext) -> String {
        (context.options.siteFolder as NSString).appendingPathComponent(PublishedLayout.schemaKey)
    }
}

import Catalog
import Foundation
import Mustache

/// What `shots build` is asked to do.
public struct BuildOptions: Sendable {
    /// The site folder: `site.yml`, `pages/`, `assets/`, `templates/` overrides.
    public var siteFolder: String
    /// The shipped themes, one folder each.
    public var templatesFolder: String
    public var outputFolder: String
    /// Catalog sources; empty means the `sources` of site.yml (relative to the site folder).
    public var sources: [String]
    /// For `SOURCE_DATE_EPOCH`.
    public var environment: [String: String]

    public init(siteFolder: String, templatesFolder: String, outputFolder: String, sources: [String], environment: [String: String]) {
        self.siteFolder = siteFolder
        self.templatesFolder = templatesFolder
        self.outputFolder = outputFolder
        self.sources = sources
        self.environment = environment
    }
}

/// What a build did, for the summary line and `--json`.
public struct BuildSummary: Sendable {
    public var steps: [(name: String, seconds: Double, detail: String)] = []
    public var artifacts = 0
    public var pages = 0
    public var redirects = 0
    public var written = 0
    public var unchanged = 0
    public var removed = 0
    public var rejects: [Problem] = []
    public var warnings: [Problem] = []
}

/// Everything the build steps share. Each step reads what earlier steps left here.
final class BuildContext {
    let options: BuildOptions
    var config: SiteConfig!
    var artifacts: [Artifact] = []
    var model: SiteModel!
    var theme: Theme!
    var output: SiteOutput
    var summary = BuildSummary()
    /// Site paths of pages for sitemap.xml, with the data time they last changed.
    var sitemapPages: [(path: String, modified: BlockTimestamp?)] = []

    init(options: BuildOptions) {
        self.options = options
        output = SiteOutput(root: options.outputFolder)
    }
}

/// A named part of the build: logged as it runs, testable on its own.
struct BuildStep: Sendable {
    let name: String
    /// Does the work; returns a few words for the log ("16 artifacts").
    let run: @Sendable (BuildContext) throws(Problem) -> String
}

/// `shots build`: the site as a sequence of named steps.
public enum SiteBuild {
    static let steps: [BuildStep] = [
        BuildStep(name: "Read site configuration", run: readConfiguration),
        BuildStep(name: "Read catalog", run: readCatalog),
        BuildStep(name: "Load templates", run: loadTemplates),
        BuildStep(name: "Render pages", run: PageRendering.renderPages),
        BuildStep(name: "Write permalinks", run: writePermalinks),
        BuildStep(name: "Write feeds and sitemap", run: writeFeeds),
        BuildStep(name: "Write tezos-snapshots.json", run: writeSnapshotsDocument),
        BuildStep(name: "Copy assets", run: copyAssets),
        BuildStep(name: "Remove stale files", run: removeStaleFiles),
    ]

    /// Runs every step in order; `log` hears each step's name, detail and time as it finishes.
    public static func run(_ options: BuildOptions, log: (String) -> Void = { _ in }) throws(Problem) -> BuildSummary {
        let context = BuildContext(options: options)
        for step in steps {
            let start = Date()
            let detail = try step.run(context)
            let seconds = Date().timeIntervalSince(start)
            context.summary.steps.append((step.name, seconds, detail))
            log(String(format: "%@: %@ (%.3f s)", step.name, detail, seconds))
        }
        context.summary.written = context.output.written
        context.summary.unchanged = context.output.unchanged
        context.summary.removed = context.output.removed
        return context.summary
    }

    static func readConfiguration(_ context: BuildContext) throws(Problem) -> String {
        context.config = try SiteConfig.load(folder: context.options.siteFolder)
        return "\(context.config.title), theme \(context.config.theme), \(context.config.networks.count) networks"
    }

    static func readCatalog(_ context: BuildContext) throws(Problem) -> String {
        let sources = context.options.sources.isEmpty
            ? context.config.sources.map { ($0 as NSString).isAbsolutePath ? $0 : (context.options.siteFolder as NSString).appendingPathComponent($0) }
            : context.options.sources
        guard !sources.isEmpty else {
            throw Problem(origin: "shots build", reason: "no catalog sources: name them on the command line or under sources: in site.yml")
        }
        let merged: MergedCatalog
        do throws(MergeFailure) { merged = try unionOfCatalogs(sources) } catch {
            throw Problem(origin: "catalog", reason: error.description)
        }
        context.artifacts = merged.catalog.artifacts
        context.summary.artifacts = context.artifacts.count
        context.summary.rejects = merged.rejects
        context.summary.warnings = merged.warnings
        context.model = SiteModel(config: context.config, artifacts: context.artifacts)
        return "\(context.artifacts.count) artifacts from \(sources.count) sources" + (merged.rejects.isEmpty ? "" : ", \(merged.rejects.count) rejected")
    }

    static func loadTemplates(_ context: BuildContext) throws(Problem) -> String {
        let site = context.options.siteFolder as NSString
        context.theme = try Theme.load(
            themeFolder: (context.options.templatesFolder as NSString).appendingPathComponent(context.config.theme),
            overrideFolder: site.appendingPathComponent("templates"), pagesFolder: site.appendingPathComponent("pages"))
        return "\(context.theme.pages.count) page templates, \(context.theme.files.count) files"
    }

    static func writePermalinks(_ context: BuildContext) throws(Problem) -> String {
        let redirects = RedirectPlan.redirects(config: context.config, networks: context.model.networkIDs, artifacts: context.artifacts)
        try context.output.write("redirects.json", RedirectPlan.json(redirects))
        try context.output.write("_redirects", RedirectPlan.netlify(redirects))
        for redirect in redirects {
            guard let path = redirect.sitePath else { continue }
            try context.output.write(String(path.dropFirst()) + "/index.html", RedirectPlan.page(redirect))
        }
        context.summary.redirects = redirects.count
        return "\(redirects.count) redirects (redirects.json, _redirects, HTML pages)"
    }

    static func writeFeeds(_ context: BuildContext) throws(Problem) -> String {
        for network in context.model.networkIDs {
            try context.output.write("\(network)/feed.xml", Feeds.atom(config: context.config, network: network, artifacts: context.model.byNetwork[network] ?? []))
        }
        try context.output.write("sitemap.xml", Feeds.sitemap(baseURL: context.config.baseURL, pages: context.sitemapPages))
        return "\(context.model.networkIDs.count) feeds, \(context.sitemapPages.count) sitemap entries"
    }

    /// The catalog for clients, dated by SOURCE_DATE_EPOCH or else by the newest block, so the
    /// same input always gives the same bytes; the schema it names is published beside it.
    static func writeSnapshotsDocument(_ context: BuildContext) throws(Problem) -> String {
        let date: String
        if context.options.environment["SOURCE_DATE_EPOCH"] != nil {
            date = try SnapshotsDocument.generationDate(environment: context.options.environment)
        } else {
            let newest = context.artifacts.map(\.blockTimestamp).max()
            date = newest.map { String($0.text.prefix(19)) + "Z" } ?? "1970-01-01T00:00:00Z"
        }
        let schemaName = "tezos-snapshots.schema.json"
        let document = SnapshotsDocument(org: context.config.org, schemaURL: "\(context.config.baseURL)/\(schemaName)",
                                         dateGenerated: date, artifacts: context.artifacts)
        try context.output.write("tezos-snapshots.json", document.encoded())
        let schema = (context.options.siteFolder as NSString).appendingPathComponent(schemaName)
        if let data = FileManager.default.contents(atPath: schema) { try context.output.write(schemaName, data) }
        return "\(context.artifacts.count) artifacts, dated \(date)"
    }

    static func copyAssets(_ context: BuildContext) throws(Problem) -> String {
        let folder = (context.options.siteFolder as NSString).appendingPathComponent("assets")
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
        var copied = 0
        for relative in files {
            let path = (folder as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            try context.output.write("assets/" + relative, data)
            copied += 1
        }
        return "\(copied) files"
    }

    static func removeStaleFiles(_ context: BuildContext) throws(Problem) -> String {
        try context.output.finish()
        return "\(context.output.written) written, \(context.output.unchanged) unchanged, \(context.output.removed) removed"
    }
}

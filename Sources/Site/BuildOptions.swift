import Catalog
import Infrastructure
import Foundation

/// What `shots build` is asked to do.
public struct BuildOptions: Sendable {
    /// The site folder: `site.yml`, `pages/`, `assets/`, `templates/` overrides.
    public var siteFolder: String
    /// The themes, one folder each: a folder on disk, or `builtInThemes`.
    public var templatesFolder: String
    /// Where the website is written (`_site` by default); also holds the manifest and cache.
    public var outputFolder: String
    /// Catalog sources; empty means the `sources` of site.yml (relative to the site folder).
    public var sources: [String]
    /// Whether `sources` are every catalog there is (publish reads them from the stores): then
    /// none means a site without artifacts, never the sample `sources` of site.yml.
    public var sourcesAreEveryCatalog = false
    /// For `SOURCE_DATE_EPOCH`.
    public var environment: [String: String]
    /// Build for `shots serve` at this origin (`SiteConfig.previewed(at:)`) instead of the site's own URLs.
    public var previewOrigin: String?

    /// The themes compiled into shots (the package's `templates/` when it was built), named as a
    /// templates folder: `--templates shots:templates`. Their files are named under it in messages.
    public static let builtInThemes = EmbeddedThemes.folder

    /// Where the themes are when not named: `$SHOTS_TEMPLATES`, `./templates`, the `templates`
    /// folder beside the site folder, else the themes built into shots. A folder on disk is used
    /// whole, as before; the site's own `templates/` overrides either file by file.
    public static func defaultTemplatesFolder(site: String, environment: [String: String]) -> String {
        if let fromEnvironment = environment["SHOTS_TEMPLATES"] { return fromEnvironment }
        if FileManager.default.fileExists(atPath: "templates") { return "templates" }
        let beside = (PathText.parent(site) as NSString).appendingPathComponent("templates")
        return FileManager.default.fileExists(atPath: beside) ? beside : builtInThemes
    }

    public init(siteFolder: String, templatesFolder: String, outputFolder: String, sources: [String], environment: [String: String]) {
        self.siteFolder = siteFolder
        self.templatesFolder = templatesFolder
        self.outputFolder = outputFolder
        self.sources = sources
        self.environment = environment
    }
}

extension BuildOptions {
    /// The output folder may not be, hold, or sit inside the site or templates folder, or a catalog
    /// source: a build would publish its own output as assets, read it back as metadata, or write
    /// pages among its inputs (`-o site`).
    func checkApart(from folders: [(role: String, path: String)]) throws(Problem) {
        let output = Self.resolved(outputFolder)
        for (role, folder) in folders {
            let source = Self.resolved(folder)
            if output == source || output.hasPrefix(source + "/") || source.hasPrefix(output + "/") {
                throw Problem(origin: outputFolder, reason: "the output folder overlaps the \(role) \(folder); write the site to a folder of its own (-o _site)")
            }
        }
    }

    /// `path` made absolute with every existing part's links resolved and `.`/`..` applied, also
    /// past the parts that do not exist yet (`_site/../site` is `site` even before `_site` exists).
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var current = "/"
        for component in absolute.split(separator: "/") where component != "." {
            if component == ".." {
                current = PathText.parent(current).isEmpty ? "/" : PathText.parent(current)
                continue
            }
            let candidate = (current == "/" ? "" : current) + "/" + component
            if let real = realpath(candidate, nil) {
                current = String(cString: real)
                free(real)
            } else {
                current = candidate
            }
        }
        return current
    }
}

/// What a build did, for the summary line and `--json`.
public struct BuildSummary: Sendable {
    /// Each step as it ran: its name, how long it took, and what it did in a few words.
    public var steps: [(name: String, seconds: Double, detail: String)] = []
    /// Artifacts shown on the site.
    public var artifacts = 0
    /// Pages of this build (rendered, or kept unchanged from the previous one).
    public var pages = 0
    /// Permalinks in the redirect plan.
    public var redirects: [Redirect] = []
    /// Files written, left as they were, and removed as stale.
    public var written = 0
    public var unchanged = 0
    public var removed = 0
    /// Metadata refused (reported, not shown), and corrections made to metadata.
    public var rejects: [Problem] = []
    public var warnings: [Problem] = []
}

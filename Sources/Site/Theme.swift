import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Mustache

/// A theme's templates, with the site's overrides applied: a file under `site/templates/` replaces
/// the theme's file of the same relative path, as in Jekyll and Hugo. A theme may extend another
/// (`extends: NAME` in its `theme.yml`): it inherits layouts, partials and assets; its pages are
/// its own.
struct Theme: Sendable {
    /// Layouts (registered as `layouts/<name>`) and partials (`<name>`), for Mustache.
    let library: MustacheLibrary
    /// Page sources: the theme's `pages/*.md` and the site's own `pages/*.md`.
    let pages: [(path: String, source: PageSource, template: MustacheTemplate)]
    /// Every file read, for the incremental build's fingerprint.
    let files: [String]
    /// Static files to publish under `/assets/` (relative path → file), the site's winning.
    let assets: [String: String]
    /// The theme folder the site names: on disk, or under `EmbeddedThemes.folder`.
    let folder: String
    /// Where each of `files` is read from, each source only inside itself (assets too).
    private let sources: [String: any ThemeFiles]

    /// The bytes of the asset published at `relative`.
    func asset(_ relative: String) throws(Problem) -> Data { try read(assets[relative]!) }

    /// The bytes of one of `files`, read by its folder's rule.
    func read(_ path: String) throws(Problem) -> Data {
        guard let source = sources[path] else { throw Problem(origin: path, reason: "not a file of the theme") }
        return try source.read(path)
    }

    /// Loads theme `name` from `templatesFolder` (a folder on disk, or `EmbeddedThemes.folder` for
    /// the themes built into shots), overridden by the site's `siteFolder/templates/`, plus the
    /// site's `pages/*.md` and `assets/`.
    static func load(name: String, templatesFolder: String, siteFolder: String) throws(Problem) -> Theme {
        let themes: any ThemeFiles = templatesFolder == EmbeddedThemes.folder ? EmbeddedThemes() : SiteFiles(folder: templatesFolder)
        let siteFiles = SiteFiles(folder: siteFolder)
        var lineage: [String] = []  // the theme and its ancestors, the theme first
        var current: String? = name
        while let theme = current {
            guard !theme.isEmpty, theme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw Problem(origin: templatesFolder, reason: "theme \"\(theme)\": expected a theme folder name (letters, digits, - and _)")
            }
            let folder = (templatesFolder as NSString).appendingPathComponent(theme)
            guard themes.exists(folder) else { throw missing(folder, in: templatesFolder) }
            guard !lineage.contains(folder) else { throw Problem(origin: folder, reason: "themes extend each other in a loop") }
            lineage.append(folder)
            current = try parent(of: folder, in: themes)
        }
        var chosen: [String: (path: String, files: any ThemeFiles)] = [:]  // relative path → file that wins, and its reader
        for folder in lineage.reversed() {
            for relative in try themes.list(folder) where folder == lineage[0] || !relative.hasPrefix("pages/") {
                chosen[relative] = ((folder as NSString).appendingPathComponent(relative), themes)
            }
        }
        let site = siteFolder as NSString
        for relative in try siteFiles.list(site.appendingPathComponent("templates")) {
            chosen[relative] = ((site.appendingPathComponent("templates") as NSString).appendingPathComponent(relative), siteFiles)
        }
        for relative in try siteFiles.list(site.appendingPathComponent("assets")) {
            chosen["assets/" + relative] = ((site.appendingPathComponent("assets") as NSString).appendingPathComponent(relative), siteFiles)
        }
        let pagesFolder = site.appendingPathComponent("pages")
        for relative in try siteFiles.list(pagesFolder) where relative.hasSuffix(".md") {
            chosen["pages/" + relative] = ((pagesFolder as NSString).appendingPathComponent(relative), siteFiles)
        }
        var library = MustacheLibrary()
        var pages: [(String, PageSource, MustacheTemplate)] = []
        var includes: [TemplateRules.Entry] = []
        for relative in chosen.keys.sorted() {
            let (path, files) = chosen[relative]!
            if relative.hasPrefix("assets/") || relative == "theme.yml" { continue }
            let text = try files.text(path, what: "the template")
            if relative.hasPrefix("pages/"), relative.hasSuffix(".md") {
                let source = try PageSource(text: text, path: path)
                _ = try TemplateRules.entry(name: path, path: path, text: source.title)  // rendered as a template too
                includes.append(try TemplateRules.entry(name: path, path: path, text: source.body))
                let page = try template(source.body, path: path)
                pages.append((path, source, page))
            } else if relative.hasSuffix(".html") {
                let name = (relative.hasPrefix("partials/") ? String(relative.dropFirst(9)) : relative).trimmingSuffix(".html")
                includes.append(try TemplateRules.entry(name: name, path: path, text: text))
                let partial = try template(text, path: path)
                library.register(partial, named: name)
            }
        }
        try TemplateRules.check(includes)
        guard library.getTemplate(named: "layouts/default") != nil else {
            throw Problem(origin: lineage[0], reason: "the theme has no layouts/default.html")
        }
        let sources = Dictionary(chosen.values.map { ($0.path, $0.files) }) { first, _ in first }
        return Theme(library: library, pages: pages, files: sources.keys.sorted(),
                     assets: chosen.filter { $0.key.hasPrefix("assets/") }.mapValues(\.path),
                     folder: lineage[0], sources: sources)
    }

    /// The reason a theme folder is not there, naming the themes built into shots.
    private static func missing(_ folder: String, in templatesFolder: String) -> Problem {
        let names = EmbeddedThemes.names.joined(separator: ", ")
        let hint = templatesFolder == EmbeddedThemes.folder
            ? "the themes built into shots are \(names)"
            : "the themes built into shots (\(names)) are --templates \(EmbeddedThemes.folder)"
        return Problem(origin: folder, reason: "no such theme folder (the site.yml theme, or an extends:, names a folder under \(templatesFolder)/; \(hint))")
    }

    /// The theme a theme folder extends, from its optional `theme.yml`.
    private static func parent(of folder: String, in files: any ThemeFiles) throws(Problem) -> String? {
        let path = (folder as NSString).appendingPathComponent("theme.yml")
        guard files.exists(path) else { return nil }
        let fields = try YAMLText.load(try files.text(path, what: "theme.yml"), origin: path, what: nil) as? [String: Any]
        return fields?["extends"] as? String
    }

    private static func template(_ text: String, path: String) throws(Problem) -> MustacheTemplate {
        MarkupSafeContentType.registered
        do { return try MustacheTemplate(string: MarkupSafeContentType.pragma + text) } catch {
            guard let parse = error as? MustacheTemplate.ParserError else {
                throw Problem(origin: path, reason: "not a valid Mustache template: \(String(describing: error).prefix(160))")
            }
            // The first line carries shots' pragma, which the author did not write.
            let column = parse.context.columnNumber - (parse.context.lineNumber == 1 ? MarkupSafeContentType.pragma.count : 0)
            throw Problem(origin: path, reason: "not a valid Mustache template: \(parse.error) at line \(parse.context.lineNumber), column \(column)")
        }
    }
}

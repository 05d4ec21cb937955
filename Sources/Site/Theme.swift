import Catalog
import Foundation
import Mustache

/// A theme's templates, with the site's overrides applied: a file under `site/templates/` replaces
/// the theme's file of the same relative path, as in Jekyll and Hugo.
struct Theme: Sendable {
    /// Layouts (registered as `layouts/<name>`) and partials (`<name>`), for Mustache.
    let library: MustacheLibrary
    /// Page sources: the theme's `pages/*.md` and the site's own `pages/*.md`.
    let pages: [(path: String, source: PageSource, template: MustacheTemplate)]
    /// Every file read, for the incremental build's fingerprint.
    let files: [String]

    /// Loads `themeFolder`, overridden by `overrideFolder`, plus the site's `pagesFolder`.
    static func load(themeFolder: String, overrideFolder: String, pagesFolder: String) throws(Problem) -> Theme {
        guard FileManager.default.fileExists(atPath: themeFolder) else {
            throw Problem(origin: themeFolder, reason: "no such theme folder (the site.yml theme names a folder under templates/)")
        }
        var chosen: [String: String] = [:]  // relative path → file that wins
        for folder in [themeFolder, overrideFolder] {
            for relative in Self.files(under: folder) { chosen[relative] = (folder as NSString).appendingPathComponent(relative) }
        }
        for relative in Self.files(under: pagesFolder) where relative.hasSuffix(".md") {
            chosen["pages/" + relative] = (pagesFolder as NSString).appendingPathComponent(relative)
        }
        var library = MustacheLibrary()
        var pages: [(String, PageSource, MustacheTemplate)] = []
        for relative in chosen.keys.sorted() {
            let path = chosen[relative]!
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw Problem(origin: path, reason: "cannot read the template")
            }
            if relative.hasPrefix("pages/"), relative.hasSuffix(".md") {
                let source = try PageSource(text: text, path: path)
                pages.append((path, source, try template(source.body, path: path)))
            } else if relative.hasSuffix(".html") || relative.hasSuffix(".xml") {
                let name = relative.hasPrefix("partials/") ? String(relative.dropFirst(9).dropLast(5)) : String(relative.dropLast(5))
                library.register(try template(text, path: path), named: name)
            }
        }
        guard library.getTemplate(named: "layouts/default") != nil else {
            throw Problem(origin: themeFolder, reason: "the theme has no layouts/default.html")
        }
        return Theme(library: library, pages: pages, files: chosen.values.sorted())
    }

    private static func template(_ text: String, path: String) throws(Problem) -> MustacheTemplate {
        FastHTMLContentType.registered
        do { return try MustacheTemplate(string: FastHTMLContentType.pragma + text) } catch {
            throw Problem(origin: path, reason: "not a valid Mustache template: \(error)")
        }
    }

    private static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walker.compactMap { $0 as? String }.filter { relative in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(relative), isDirectory: &isFolder)
            return !isFolder.boolValue && !(relative as NSString).lastPathComponent.hasPrefix(".")
        }
    }
}

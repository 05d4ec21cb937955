import Catalog
import Foundation
import Mustache

/// Turning page sources into HTML files: Mustache first (values HTML-escaped), then CommonMark,
/// then the layout around it.
enum PageRendering {
    static func renderPages(_ context: BuildContext) throws(Problem) -> String {
        let site = context.model.site
        let networks = Dictionary(uniqueKeysWithValues: context.model.networkIDs.map { ($0, context.model.network($0)) })
        let newestOverall = context.artifacts.map(\.blockTimestamp).max()
        var rendered = 0
        for (path, source, template) in context.theme.pages {
            let instances: [String?] = source.each == "network" ? context.model.networkIDs : [nil]
            for network in instances {
                let permalink = network.map { source.permalink.replacingOccurrences(of: ":network", with: $0) } ?? source.permalink
                var values: [String: Any] = ["site": site]
                if let network { values["network"] = networks[network]! }
                values["page"] = [
                    "title": MustacheTemplate.renderTitle(source.title, values), "url": permalink,
                    "description": source.description ?? context.config.tagline,
                ]
                let body = template.render(values, library: context.theme.library)
                values["content"] = Markdown.html(body)
                guard let layout = context.theme.library.getTemplate(named: "layouts/\(source.layout)") else {
                    throw Problem(origin: path, reason: "layout \"\(source.layout)\" not found (expected layouts/\(source.layout).html in the theme)")
                }
                let html = layout.render(values, library: context.theme.library)
                try context.output.write(outputPath(permalink), Data(html.utf8))
                rendered += 1
                if source.sitemap {
                    let modified = network.map { context.model.byNetwork[$0]?.map(\.blockTimestamp).max() } ?? newestOverall
                    context.sitemapPages.append((permalink, modified))
                }
            }
        }
        context.summary.pages = rendered
        return "\(rendered) pages"
    }

    /// `/` → `index.html`, `/mainnet/` → `mainnet/index.html`, `/404.html` → `404.html`.
    static func outputPath(_ permalink: String) -> String {
        let relative = String(permalink.dropFirst())
        return relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
    }
}

extension MustacheTemplate {
    /// A front-matter title may use the same tags as the page: `{{network.name}} snapshots`.
    /// Rendered as text: the layout escapes it where it is placed.
    static func renderTitle(_ title: String, _ values: [String: Any]) -> String {
        guard title.contains("{{"), let template = try? MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + title) else { return title }
        return template.render(values)
    }
}

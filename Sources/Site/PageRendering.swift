import Catalog
import Foundation
import Mustache

/// Turning page sources into HTML files: Mustache first (values HTML-escaped), then CommonMark,
/// then the layout around it. Pages are independent, so they render on every core.
enum PageRendering {
    /// One page to render: a page source, and the network it is rendered for.
    private struct Job: Sendable {
        let page: Int
        let network: String?
    }

    static func renderPages(_ context: BuildContext) throws(Problem) -> String {
        let theme = context.theme!
        for (path, source, _) in theme.pages where theme.library.getTemplate(named: "layouts/\(source.layout)") == nil {
            throw Problem(origin: path, reason: "layout \"\(source.layout)\" not found (expected layouts/\(source.layout).html in the theme)")
        }
        let model = context.model!
        let site = Unchecked(model.site)
        let networks = Unchecked(Dictionary(uniqueKeysWithValues: zip(model.networkIDs, model.networkIDs.parallelMap(minimumChunk: 1) { Unchecked(model.network($0)) }.map(\.value))))
        let tagline = context.config.tagline
        let jobs = theme.pages.indices.flatMap { page -> [Job] in
            theme.pages[page].source.each == "network" ? model.networkIDs.map { Job(page: page, network: $0) } : [Job(page: page, network: nil)]
        }
        let rendered = jobs.parallelMap(minimumChunk: 1) { job -> (permalink: String, html: Data) in
            let (_, source, template) = theme.pages[job.page]
            let permalink = job.network.map { source.permalink.replacingOccurrences(of: ":network", with: $0) } ?? source.permalink
            var values: [String: Any] = ["site": site.value]
            if let network = job.network { values["network"] = networks.value[network]! }
            values["page"] = [
                "title": MustacheTemplate.renderTitle(source.title, values), "url": permalink,
                "description": source.description ?? tagline,
            ]
            values["content"] = Markdown.html(template.render(values, library: theme.library))
            let layout = theme.library.getTemplate(named: "layouts/\(source.layout)")!
            return (permalink, Data(layout.render(values, library: theme.library).utf8))
        }
        let newestOverall = context.artifacts.map(\.blockTimestamp).max()
        for (job, page) in zip(jobs, rendered) {
            try context.output.write(outputPath(page.permalink), page.html)
            if theme.pages[job.page].source.sitemap {
                let modified = job.network.map { model.byNetwork[$0]?.map(\.blockTimestamp).max() } ?? newestOverall
                context.sitemapPages.append((page.permalink, modified))
            }
        }
        context.summary.pages = rendered.count
        return "\(rendered.count) pages"
    }

    /// `/` → `index.html`, `/mainnet/` → `mainnet/index.html`, `/404.html` → `404.html`.
    static func outputPath(_ permalink: String) -> String {
        let relative = String(permalink.dropFirst())
        return relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
    }
}

/// Read-only view-model values shared by the rendering threads. Mustache reads `[String: Any]`,
/// which Swift cannot prove Sendable; nothing writes to them once built.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension MustacheTemplate {
    /// A front-matter title may use the same tags as the page: `{{network.name}} snapshots`.
    /// Rendered as text: the layout escapes it where it is placed.
    static func renderTitle(_ title: String, _ values: [String: Any]) -> String {
        guard title.contains("{{"), let template = try? MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + title) else { return title }
        return template.render(values)
    }
}

import Catalog
import Infrastructure
import Foundation
import Mustache

/// Turning page sources into HTML files: Mustache first (values HTML-escaped), then CommonMark,
/// then the layout around it. Pages are independent, so they render on every core.
enum PageRendering {
    /// One page to render: a page source, and the instance it is rendered for.
    private struct Job: Sendable {
        let page: Int
        /// The position of the instance in the page's `each:` list.
        let instance: Int?
    }

    static func renderPages(_ context: BuildContext) throws(Problem) -> String {
        let theme = context.theme!
        let content = context.content!
        var instances: [String: [PageInstance]] = [:]
        for (path, source, _) in theme.pages {
            guard theme.library.getTemplate(named: "layouts/\(source.layout)") != nil else {
                throw Problem(origin: path, reason: "layout \"\(source.layout)\" not found (expected layouts/\(source.layout).html in the theme)")
            }
            if let each = source.each, instances[each] == nil {
                guard let found = content.instances(of: each) else {
                    throw Problem(origin: path, reason: "front matter each: this site has no \"\(each)\" pages")
                }
                instances[each] = found
            }
        }
        let site = Unchecked(content.site)
        let shared = Unchecked(instances)
        let tagline = context.config.tagline
        var jobs = theme.pages.indices.flatMap { page -> [Job] in
            let each = theme.pages[page].source.each
            return each.map { each in instances[each]!.indices.map { Job(page: page, instance: $0) } } ?? [Job(page: page, instance: nil)]
        }
        // Pages of instances with nothing new are kept from the previous build.
        var keptPaths: [String] = []
        jobs.removeAll { job in
            guard let each = theme.pages[job.page].source.each, let position = job.instance, instances[each]![position].values == nil else { return false }
            let permalink = permalinkOf(theme.pages[job.page].source, instances[each]![position])
            keptPaths.append(outputPath(permalink))
            if theme.pages[job.page].source.sitemap { context.sitemapPages.append((permalink, instances[each]![position].modified)) }
            return true
        }
        for path in keptPaths { try context.output.keep(path) }
        let kept = keptPaths.count
        let rendered = jobs.parallelMap(minimumChunk: 1) { job -> (permalink: String, html: Data) in
            let (_, source, template) = theme.pages[job.page]
            var permalink = source.permalink
            var values: [String: Any] = ["site": site.value]
            if let each = source.each, let position = job.instance {
                let instance = shared.value[each]![position]
                permalink = permalinkOf(source, instance)
                values.merge(instance.values ?? [:]) { $1 }
            }
            // An empty title is left out: Mustache treats "" as a value, and the home page's
            // <title> would start with " · ".
            let title = MustacheTemplate.renderTitle(source.title, values)
            var page: [String: Any] = ["url": permalink, "description": source.description ?? tagline]
            if !title.isEmpty { page["title"] = title }
            values["page"] = page
            values["content"] = Markdown.html(template.render(values, library: theme.library))
            let layout = theme.library.getTemplate(named: "layouts/\(source.layout)")!
            return (permalink, Data(layout.render(values, library: theme.library).utf8))
        }
        for (job, page) in zip(jobs, rendered) {
            try context.output.write(outputPath(page.permalink), page.html)
            let source = theme.pages[job.page].source
            if source.sitemap {
                let modified = source.each.flatMap { each in job.instance.map { instances[each]![$0].modified } } ?? content.newest
                context.sitemapPages.append((page.permalink, modified))
            }
        }
        context.renderedPages = rendered.count + kept
        return "\(rendered.count) pages" + (kept > 0 ? ", \(kept) unchanged" : "")
    }

    /// The page's permalink with the instance's `:name` parameters filled in.
    static func permalinkOf(_ source: PageSource, _ instance: PageInstance) -> String {
        var permalink = source.permalink
        for (name, value) in instance.parameters { permalink = permalink.replacingOccurrences(of: ":\(name)", with: value) }
        return permalink
    }

    /// `/` → `index.html`, `/mainnet/` → `mainnet/index.html`, `/404.html` → `404.html`.
    static func outputPath(_ permalink: String) -> String { PublishedLayout.key(ofSitePath: permalink) }
}

extension MustacheTemplate {
    /// A front-matter title may use the same tags as the page: `{{network.name}} snapshots`.
    /// Rendered as text: the layout escapes it where it is placed.
    static func renderTitle(_ title: String, _ values: [String: Any]) -> String {
        guard title.contains("{{"), let template = try? MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + title) else { return title }
        return template.render(values)
    }
}

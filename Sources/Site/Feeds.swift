import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// sitemap.xml and the per-network Atom feeds: XML built from the model, dates from the data only.
enum Feeds {
    /// `sitemap.xml` for the given site paths (each with an optional last-modified timestamp).
    static func sitemap(baseURL: String, pages: [(path: String, modified: BlockTimestamp?)]) -> Data {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages.sorted(by: { $0.path < $1.path }) {
            xml += "  <url><loc>\(HTML.escape(baseURL + page.path))</loc>"
            if let modified = page.modified { xml += "<lastmod>\(modified.text.prefix(10))</lastmod>" }
            xml += "</url>\n"
        }
        return Data((xml + "</urlset>\n").utf8)
    }

    /// One artifact as a feed entry.
    struct Entry {
        let title: String
        let url: String
        let bytes: Int64
        let updated: BlockTimestamp
        let summary: String
    }

    /// An Atom feed announcing the newest artifacts shown on `page` (at most `limit`, newest first).
    static func atom(config: SiteConfig, page: String, name: String, entries: [Entry], limit: Int = 50) -> Data {
        let name = HTML.escape(name)
        let pageURL = config.baseURL + page
        let updated = entries.map(\.updated).max()?.text ?? "1970-01-01T00:00:00Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(HTML.escape(config.title)): \(name) snapshots</title>
              <subtitle>New snapshots and tarballs for \(name)</subtitle>
              <id>\(HTML.escape(pageURL))</id>
              <link rel="alternate" href="\(HTML.escape(pageURL))"/>
              <link rel="self" href="\(HTML.escape(PublishedLayout.feed(ofPage: pageURL)))"/>
              <updated>\(updated)</updated>
              <author><name>\(HTML.escape(config.org))</name></author>

            """
        for entry in entries.sorted(by: { ($0.updated, $0.url) > ($1.updated, $1.url) }).prefix(limit) {
            xml += """
                  <entry>
                    <title>\(HTML.escape(entry.title))</title>
                    <id>\(HTML.escape(entry.url))</id>
                    <link rel="enclosure" href="\(HTML.escape(entry.url))" length="\(entry.bytes)"/>
                    <link rel="alternate" href="\(HTML.escape(pageURL))"/>
                    <updated>\(entry.updated.text)</updated>
                    <summary>\(HTML.escape(entry.summary))</summary>
                  </entry>

                """
        }
        return Data((xml + "</feed>\n").utf8)
    }
}

import Catalog
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

    /// An Atom feed announcing a network's newest artifacts (at most `limit`), newest first.
    static func atom(config: SiteConfig, network: String, artifacts: [Artifact], limit: Int = 50) -> Data {
        let name = HTML.escape(config.network(network).name)
        let pageURL = "\(config.baseURL)/\(network)/"
        let updated = artifacts.map(\.blockTimestamp).max()?.text ?? "1970-01-01T00:00:00Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(HTML.escape(config.title)): \(name) snapshots</title>
              <subtitle>New snapshots and tarballs for \(name)</subtitle>
              <id>\(HTML.escape(pageURL))</id>
              <link rel="alternate" href="\(HTML.escape(pageURL))"/>
              <link rel="self" href="\(HTML.escape(pageURL))feed.xml"/>
              <updated>\(updated)</updated>
              <author><name>\(HTML.escape(config.org))</name></author>

            """
        for artifact in artifacts.prefix(limit) {
            let title = "\(SiteModel.title(of: artifact.kind)) at block \(artifact.blockHeight)"
            xml += """
                  <entry>
                    <title>\(HTML.escape(title))</title>
                    <id>\(HTML.escape(artifact.url))</id>
                    <link rel="enclosure" href="\(HTML.escape(artifact.url))" length="\(artifact.filesizeBytes)"/>
                    <link rel="alternate" href="\(HTML.escape(pageURL))"/>
                    <updated>\(artifact.blockTimestamp.text)</updated>
                    <summary>\(HTML.escape("\(artifact.filename): \(artifact.filesize), block \(artifact.blockHash), octez \(artifact.tezosVersion.displayName), sha256 \(artifact.sha256)"))</summary>
                  </entry>

                """
        }
        return Data((xml + "</feed>\n").utf8)
    }
}

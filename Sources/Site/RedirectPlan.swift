import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// One permalink: an object in a network's bucket and, where it has one, a path on the main site,
/// both redirecting to the newest artifact (or its metadata) of a kind.
public struct Redirect: Sendable, Equatable {
    public let network: String
    /// The object name in the network's bucket: `rolling`, `rolling-tarball-metadata`,
    /// `index.html`; nil for a permalink that exists on the main site only.
    public let bucketKey: String?
    /// The bucket object's `x-amz-website-redirect-location`: `/<filename>`, or an absolute URL.
    public let bucketLocation: String
    /// The same permalink on the main site (`/mainnet/rolling`); nil for bucket-only redirects.
    public let sitePath: String?
    /// Absolute URL the permalink leads to.
    public let location: String

}

/// The permalinks of a site: what every redirect output (S3 objects, `_redirects`, HTML pages)
/// is generated from, so they can never disagree.
public enum RedirectPlan {
    /// For each network, each published kind with an artifact: the artifact and metadata
    /// permalinks (chosen by `LatestPolicy`); and the bucket's `index.html` → the network's page.
    public static func redirects(config: SiteConfig, networks: [String], artifacts: [Artifact]) -> [Redirect] {
        let latest = LatestPolicy.latestByNetwork(artifacts)
        return networks.flatMap { network -> [Redirect] in
            [index(network: network, page: config.baseURL + PublishedLayout.listPage(network: network))]
                + (latest[network] ?? [:]).sorted(by: { $0.key < $1.key }).flatMap { kind, artifact in
                    permalinks(network: network, names: PublishedLayout.permalinks(network: network, kind: kind),
                               filename: artifact.filename, url: artifact.url)
                }
        }
    }

    /// The bucket's `index.html`, leading to the network's page on the main site.
    static func index(network: String, page: String) -> Redirect {
        Redirect(network: network, bucketKey: PublishedLayout.bucketIndexKey, bucketLocation: page, sitePath: nil, location: page)
    }

    /// The permalinks `names` of the artifact `filename` served at `url`: to it and to its
    /// metadata, in its bucket and on the site, and the site-wide short form where there is one.
    static func permalinks(network: String, names: PermalinkNames, filename: String, url: String) -> [Redirect] {
        [Redirect(network: network, bucketKey: names.bucketKey, bucketLocation: "/" + filename, sitePath: names.sitePath, location: url),
         Redirect(network: network, bucketKey: names.metadataBucketKey, bucketLocation: "/" + PublishedLayout.metadataKey(of: filename),
                  sitePath: names.metadataSitePath, location: PublishedLayout.metadataKey(of: url))]
            + [names.shortSitePath].compactMap { $0 }.map { short in
                Redirect(network: network, bucketKey: nil, bucketLocation: "/" + filename, sitePath: short, location: url)
            }
    }

    /// `redirects.json`, for the S3 publisher: every redirect with its cache policy and, per host,
    /// the status that host answers with.
    public static func json(_ redirects: [Redirect]) -> Data {
        JSONWriter().data(.object(["redirects": .array(redirects.map { redirect in
            .object([
                "network": .string(redirect.network), "bucket_key": redirect.bucketKey.map(JSONValue.string) ?? .null,
                "bucket_location": .string(redirect.bucketLocation),
                "site_path": redirect.sitePath.map(JSONValue.string) ?? .null,
                "location": .string(redirect.location), "cache_control": .string(PublishedLayout.changingCacheControl),
                "bucket_status": redirect.bucketKey == nil ? .null : .integer(Int64(PublishedLayout.bucketRedirectStatus)),
                "site_status": redirect.sitePath == nil ? .null : .integer(Int64(PublishedLayout.siteRedirectStatus)),
            ])
        })]))
    }

    /// `_redirects` in Netlify / Cloudflare Pages syntax: `from to status`, one per line.
    public static func netlify(_ redirects: [Redirect]) -> Data {
        Data(redirects.compactMap { redirect in redirect.sitePath.map { "\($0) \(redirect.location) \(PublishedLayout.siteRedirectStatus)\n" } }.joined().utf8)
    }

    /// A small HTML page for plain static hosting: meta refresh, canonical link, and a plain link.
    public static func page(_ redirect: Redirect) -> Data {
        let location = HTML.escape(redirect.location)
        return Data("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Redirecting to \(location)</title>
            <meta http-equiv="refresh" content="0; url=\(location)">
            <link rel="canonical" href="\(location)">
            <meta name="robots" content="noindex">
            </head>
            <body>
            <p>The newest artifact is at <a href="\(location)">\(location)</a>.</p>
            </body>
            </html>

            """.utf8)
    }
}

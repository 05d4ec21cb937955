import Catalog
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
            var plan = [Redirect(network: network, bucketKey: PublishedLayout.bucketIndexKey, bucketLocation: "\(config.baseURL)/\(network)/",
                                 sitePath: nil, location: "\(config.baseURL)/\(network)/")]
            for (kind, artifact) in (latest[network] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let names = PublishedLayout.permalinks(network: network, kind: kind)
                plan.append(Redirect(network: network, bucketKey: names.bucketKey, bucketLocation: "/\(artifact.filename)",
                                     sitePath: names.sitePath, location: artifact.url))
                plan.append(Redirect(network: network, bucketKey: names.metadataBucketKey, bucketLocation: "/" + PublishedLayout.metadataKey(of: artifact.filename),
                                     sitePath: names.metadataSitePath, location: PublishedLayout.metadataKey(of: artifact.url)))
            }
            return plan
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

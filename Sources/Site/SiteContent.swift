import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// What a theme's pages are rendered from: a chain family's artifacts as template values, and the
/// permalinks and data files that go with them. Tezos (xtz-shots) and Polkadot (polkashots) each
/// provide one; the build steps do not care which.
protocol SiteContent {
    /// `site`: what every page can use.
    var site: [String: Any] { get }
    /// How many artifacts the site shows.
    var artifactCount: Int { get }
    /// The newest artifact time, for the sitemap of pages not tied to one instance.
    var newest: BlockTimestamp? { get }
    /// The pages a front matter `each:` stands for (one per network, per chain database...), or
    /// nil when this kind of site has no such thing.
    func instances(of each: String) -> [PageInstance]?
    func redirects() -> [Redirect]
    /// Feeds, catalogs and other files generated from the data.
    func dataFiles(environment: [String: String]) throws(Problem) -> [(path: String, data: Data)]
    /// Files of the previous build that are still right and were not regenerated.
    var unchangedFiles: [String] { get }
}

/// One rendering of a page source: what replaces `:name` in its permalink and what it shows.
struct PageInstance {
    let parameters: [String: String]
    /// Nil when the page shows nothing new since the previous build, which is kept as it is.
    let values: [String: Any]?
    /// When the data shown last changed, for sitemap.xml.
    let modified: BlockTimestamp?
}

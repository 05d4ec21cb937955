import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// The site a verb works for (`--site`) and whether it is made for the local preview
/// (`--preview`): what pack, publish and redirects share.
struct SiteOptions: ParsableArguments {
    @Option(help: "The site folder: its site.yml gives the default --base-url, the stores and the pages.")
    var site = "site"

    @Option(help: ArgumentHelp("Make the artifact's URL and the pages lead to `shots serve` at ORIGIN instead of the site's hosts.",
                               valueName: "origin"))
    var preview: String?

    /// The site's site.yml, as `shots serve` previews it when `--preview` is given.
    func siteConfig() throws(Problem) -> SiteConfig {
        let config = try SiteConfig.load(folder: site)
        guard let preview else { return config }
        guard preview.hasPrefix("http://") || preview.hasPrefix("https://"), TextForm.url.accepts(preview) else {
            throw Problem(origin: "--preview", reason: "expected the preview server's origin, e.g. \(PreviewLayout.defaultOrigin), found \(Problem.quoted(preview))")
        }
        return config.previewed(at: preview)
    }
}

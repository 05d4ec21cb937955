import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// Everything the build steps share. Each step reads what earlier steps left here; steps that run
/// alongside each other write different properties (and the output folder, which locks).
final class BuildContext {
    let options: BuildOptions
    var config: SiteConfig!
    var content: SiteContent!
    var theme: Theme!
    var output: SiteOutput
    var summary = BuildSummary()
    /// What to remember for the next build, when this one may use a cache.
    var cacheToSave: (inputs: String, files: SourceFileIndex)?
    /// Site paths of pages for sitemap.xml, with the data time they last changed.
    var sitemapPages: [(path: String, modified: BlockTimestamp?)] = []
    /// Counts for the summary, each set by one step.
    var renderedPages = 0
    var redirects: [Redirect] = []

    init(options: BuildOptions) throws(Problem) {
        self.options = options
        output = try SiteOutput(root: options.outputFolder)
    }
}

/// A named part of the build: logged as it runs, testable on its own.
struct BuildStep: Sendable {
    let name: String
    /// Runs at the same time as the step before it (on another core): the two need nothing from
    /// each other and write different things.
    var alongside = false
    /// Does the work; returns a few words for the log ("16 artifacts").
    let run: @Sendable (BuildContext) throws(Problem) -> String
}

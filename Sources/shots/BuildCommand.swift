import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Site

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render the website from the catalog, templates and site folder.",
        discussion: """
            Reads site.yml, the catalog (SOURCE... or the sources listed in site.yml: base.json, \
            tezos-snapshots.json or folders of per-artifact JSON), the theme from the templates \
            folder or the themes built into shots (overridden file by file by the site's \
            templates/), and writes pages, feeds, sitemap.xml, tezos-snapshots.json and the \
            permalink redirects (redirects.json, _redirects, HTML redirect pages). Building twice \
            from the same input gives identical files, and files whose content did not change \
            are not rewritten.

            Examples:
              shots build                                   # site/ → _site/
              shots build mainnet/base.json ghostnet/base.json --site site -o public
              SOURCE_DATE_EPOCH=1700000000 shots build --json
            """
    )

    @Argument(help: "Catalog sources (default: the sources listed in site.yml).")
    var sources: [String] = []

    @Option(help: "The site folder with site.yml, pages/, assets/ and template overrides.")
    var site = "site"

    @Option(help: "The folder of themes (default: $SHOTS_TEMPLATES, ./templates, the one beside the site folder, else shots:templates, the themes built into shots).")
    var templates: String?

    @Option(name: .shortAndLong, help: "The folder to write the website into.")
    var output = "_site"

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let templatesFolder = templates ?? BuildOptions.defaultTemplatesFolder(site: site, environment: ProcessInfo.processInfo.environment)
        let options = BuildOptions(siteFolder: site, templatesFolder: templatesFolder, outputFolder: output,
                                   sources: sources, environment: ProcessInfo.processInfo.environment)
        let start = Date()
        let summary: BuildSummary
        do throws(Problem) {
            summary = try SiteBuild.run(options) { line in outputOptions.say(line) }
        } catch {
            throw fail(error)
        }
        outputOptions.warn(summary.warnings)
        outputOptions.reject(summary.rejects)
        let seconds = Date().timeIntervalSince(start)
        outputOptions.say(String(format: "%@: %d pages, %d redirects, %d artifacts; %d files written, %d unchanged, %d removed in %.3f s",
                                 output, summary.pages, summary.redirects.count, summary.artifacts, summary.written, summary.unchanged, summary.removed, seconds))
        outputOptions.emit(.object([
            "status": .string(summary.rejects.isEmpty ? "built" : "built-with-rejects"),
            "output": .string(output),
            "pages": .integer(Int64(summary.pages)), "redirects": .integer(Int64(summary.redirects.count)),
            "artifacts": .integer(Int64(summary.artifacts)),
            "written": .integer(Int64(summary.written)), "unchanged": .integer(Int64(summary.unchanged)),
            "removed": .integer(Int64(summary.removed)),
            "steps": .array(summary.steps.map { .object(["name": .string($0.name), "detail": .string($0.detail)]) }),
            "rejected": .array(summary.rejects.map(\.summary)),
            "warnings": .array(summary.warnings.map(\.summary)),
        ]))
        if !summary.rejects.isEmpty { throw doneWithRejects }
    }
}

import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
@testable import Site
import Testing
import TestSupport

@Suite("the themes built into shots")
struct EmbeddedThemesTests {
    @Test("are templates/ byte for byte: every file the on-disk reading rule finds, and nothing else")
    func sameAsTemplates() throws {
        let onDisk = SiteFiles(folder: rooted("templates"))
        let embedded = EmbeddedThemes()
        let files = try onDisk.list(rooted("templates"))
        #expect(!files.isEmpty)
        #expect(EmbeddedThemes.paths == files.sorted(), "a file added or removed under templates/ is not embedded yet")
        for relative in files {
            let bytes = try embedded.read(EmbeddedThemes.folder + "/" + relative)
            #expect(bytes == (try onDisk.read(rooted("templates/" + relative))), "\(relative) differs from the embedded copy")
        }
        #expect(EmbeddedThemes.names == ["polkashots", "xtz-shots"])
        #expect(embedded.list(EmbeddedThemes.folder + "/polkashots").contains("theme.yml"))
    }

    @Test("built from the themes built in, both sample sites are the same files as from templates/")
    func buildFromBuiltInThemes() throws {
        let folder = try TemporaryFolder()
        for (site, name) in [(rooted("site"), "xtz-shots"), (rooted("site/polkashots"), "polkashots")] {
            let fromDisk = try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: rooted("templates"),
                                                          outputFolder: folder.subpath(name + "-disk"), sources: [], environment: [:]))
            let builtIn = try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: BuildOptions.builtInThemes,
                                                         outputFolder: folder.subpath(name + "-built-in"), sources: [], environment: [:]))
            #expect(builtIn.pages == fromDisk.pages && builtIn.pages > 0)
            #expect(contents(of: folder.subpath(name + "-built-in")) == contents(of: folder.subpath(name + "-disk")))
            let step = builtIn.steps.first { $0.name == "Load templates" }?.detail ?? ""
            #expect(step.hasSuffix("theme shots:templates/\(name)"), "\(step)")
        }
    }

    @Test("the site's templates/ still overrides a built-in theme file by file; a folder on disk is used whole")
    func overridesAndWholeFolders() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        try folder.write("site/templates/partials/footer.html", "<footer><p>Operated by the override team</p></footer>\n")
        try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: BuildOptions.builtInThemes, outputFolder: folder.subpath("out"),
                                       sources: [], environment: [:]))
        let home = try String(contentsOfFile: folder.subpath("out/index.html"), encoding: .utf8)
        #expect(home.contains("Operated by the override team"))
        #expect(home.contains("/assets/style.css"))  // the rest is the built-in theme's

        // A templates folder on disk that lacks the theme is a mistake to report, not a cue to mix
        // in the built-in one: a typo in --templates fails as it always did.
        try folder.write("themes/other/layouts/default.html", "{{{content}}}")
        #expect {
            try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: folder.subpath("themes"), outputFolder: folder.subpath("out2"),
                                           sources: [], environment: [:]))
        } throws: { error in
            (error as? Problem)?.description == "step \"Load templates\": \(folder.subpath("themes/xtz-shots")): no such theme folder (the site.yml theme, or an extends:, "
                + "names a folder under \(folder.subpath("themes"))/; the themes built into shots (polkashots, xtz-shots) are --templates shots:templates)"
        }
    }

    @Test("a theme that is not built in is named with the ones that are")
    func unknownTheme() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
        try config.replacingOccurrences(of: "theme: xtz-shots", with: "theme: nosuch").write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        #expect {
            try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: BuildOptions.builtInThemes, outputFolder: folder.subpath("out"),
                                           sources: [], environment: [:]))
        } throws: { error in
            (error as? Problem)?.description == "step \"Load templates\": shots:templates/nosuch: no such theme folder (the site.yml theme, or an extends:, "
                + "names a folder under shots:templates/; the themes built into shots are polkashots, xtz-shots)"
        }
    }
}

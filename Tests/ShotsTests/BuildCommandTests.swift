import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("shots build, as a user runs it")
struct BuildCommandTests {
    private var site: String { Shots.packageRoot.appendingPathComponent("site").path }
    private var templates: String { Shots.packageRoot.appendingPathComponent("templates").path }

    @Test("prints each named step and a summary; --json reports pages, redirects and files")
    func stepsAndSummary() throws {
        let folder = try TemporaryFolder()
        let run = try Shots.run(["build", "--site", site, "--templates", templates, "-o", folder.subpath("out")])
        #expect(run.status == 0, "\(run.stderr)")
        for step in ["Read site configuration", "Load templates", "Read catalog", "Render pages", "Write permalinks",
                     "Write feeds and catalogs", "Write sitemap", "Copy assets", "Commit output"] {
            #expect(run.stdout.contains(step + ":"), "\(step)")
        }
        #expect(run.stdout.contains("7 pages, 14 redirects, 16 artifacts"))

        let json = try Shots.run(["build", "--json", "--site", site, "--templates", templates, "-o", folder.subpath("out")])
        let summary = try JSONParser.parse(Data(json.stdout.utf8))
        #expect(summary["pages"] == .integer(7))
        #expect(summary["written"] == .integer(0))
        #expect(summary["status"] == .string("built"))
    }

    @Test("two separate runs give byte-identical sites, and tezos-snapshots.json passes the published schema")
    func deterministicAcrossProcesses() throws {
        let folder = try TemporaryFolder()
        for name in ["one", "two"] {
            let run = try Shots.run(["build", "--site", site, "--templates", templates, "-o", folder.subpath(name)])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let diff = try runProgram(URL(fileURLWithPath: "/usr/bin/diff"), ["-r", "-x", ".shots-*", folder.subpath("one"), folder.subpath("two")])
        #expect(diff.status == 0, "\(diff.stdout)")
        let check = try validateWithSchema(folder.subpath("one/tezos-snapshots.json"))
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("valid: 16 artifacts"))
    }

    @Test("rejected metadata is listed and the exit status is 2; a broken site.yml exits 1 naming it")
    func exitStatuses() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1))
        let bad = try folder.write("bucket/bad.json", "[]")
        let run = try Shots.run(["build", folder.subpath("bucket"), "--site", site, "--templates", templates, "-o", folder.subpath("out")])
        #expect(run.status == 2)
        #expect(run.errorLines.contains { $0.hasPrefix("\(bad): expected a JSON object") })

        try folder.write("broken-site/site.yml", "title: [unclosed\n")
        let broken = try Shots.run(["build", "--site", folder.subpath("broken-site"), "--templates", templates, "-o", folder.subpath("out2")])
        #expect(broken.status == 1)
        #expect(broken.errorLines.first?.hasPrefix("error: step \"Read site configuration\": \(folder.subpath("broken-site/site.yml")): not valid YAML") == true)
    }

    @Test("a new user's shots build: a copy of site/ in an empty folder, no templates/ anywhere, builds with the themes built in")
    func outsideTheRepository() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: site, toPath: folder.subpath("site"))
        try FileManager.default.createDirectory(atPath: folder.subpath("work"), withIntermediateDirectories: true)
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["-C", folder.subpath("work"), Shots.binary.path,
                                                                        "build", "--site", "../site", "-o", "../out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("theme shots:templates/xtz-shots"))
        #expect(run.stdout.contains("7 pages, 14 redirects, 16 artifacts"))
        let fromRepository = try Shots.run(["build", "--site", site, "--templates", templates, "-o", folder.subpath("reference")])
        #expect(fromRepository.status == 0, "\(fromRepository.stderr)")
        let diff = try runProgram(URL(fileURLWithPath: "/usr/bin/diff"), ["-r", "-x", ".shots-*", folder.subpath("reference"), folder.subpath("out")])
        #expect(diff.status == 0, "\(diff.stdout)")
    }

    @Test("the built-in themes come last: SHOTS_TEMPLATES, then ./templates, then the templates/ beside the site folder")
    func templatesLookupOrder() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: site, toPath: folder.subpath("site"))
        try FileManager.default.createDirectory(atPath: folder.subpath("work"), withIntermediateDirectories: true)
        func theme(_ environment: [String: String] = [:]) throws -> String {
            let run = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["-C", folder.subpath("work"), Shots.binary.path,
                                                                            "build", "--site", "../site", "-o", "../out"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            // "Load templates: 5 page templates, 13 files, theme FOLDER (0.006 s)"
            let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("Load templates:") } ?? ""
            return line.components(separatedBy: ", theme ").last?.components(separatedBy: " (").first ?? ""
        }
        #expect(try theme() == "shots:templates/xtz-shots")
        try FileManager.default.copyItem(atPath: templates, toPath: folder.subpath("templates"))
        #expect(try theme() == "../templates/xtz-shots")
        try FileManager.default.copyItem(atPath: templates, toPath: folder.subpath("work/templates"))
        #expect(try theme() == "templates/xtz-shots")
        #expect(try theme(["SHOTS_TEMPLATES": templates]) == templates + "/xtz-shots")
    }

    @Test("--templates shots:templates names the built-in themes; a templates folder that is not there fails naming it")
    func namedTemplatesFolders() throws {
        let folder = try TemporaryFolder()
        let builtIn = try Shots.run(["build", "--site", site, "--templates", "shots:templates", "-o", folder.subpath("out")])
        #expect(builtIn.status == 0, "\(builtIn.stderr)")
        #expect(builtIn.stdout.contains("theme shots:templates/xtz-shots"))
        let typo = try Shots.run(["build", "--site", site, "-o", folder.subpath("out2")], environment: ["SHOTS_TEMPLATES": folder.subpath("nowhere")])
        #expect(typo.status == 1)
        #expect(typo.errorLines.first?.hasPrefix("error: step \"Load templates\": \(folder.subpath("nowhere/xtz-shots")): no such theme folder") == true, "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("out2")))
    }
}

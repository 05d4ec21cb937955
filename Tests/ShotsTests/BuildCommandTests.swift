import Catalog
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
        #expect(broken.errorLines.first?.hasPrefix("error: \(folder.subpath("broken-site/site.yml")): not valid YAML") == true)
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

    @Test("a templates folder named by --templates or SHOTS_TEMPLATES must exist: a typo is not the built-in theme")
    func namedTemplatesFolderMustExist() throws {
        let folder = try TemporaryFolder()
        let flag = try Shots.run(["build", "--site", site, "--templates", folder.subpath("nowhere"), "-o", folder.subpath("out")])
        #expect(flag.status == 1)
        #expect(flag.errorLines == ["error: --templates \(folder.subpath("nowhere")): no such folder (see 'shots build --help')"])
        let variable = try Shots.run(["build", "--site", site, "-o", folder.subpath("out")], environment: ["SHOTS_TEMPLATES": folder.subpath("nowhere")])
        #expect(variable.status == 1)
        #expect(variable.errorLines == ["error: SHOTS_TEMPLATES \(folder.subpath("nowhere")): no such folder (see 'shots build --help')"])
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("out")))
    }
}

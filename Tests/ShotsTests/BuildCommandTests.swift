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
}

import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("shots catalog and the CLI contract")
struct CatalogCommandTests {
    /// Two networks' base.json files written by `shots merge`.
    private func networks() throws -> (TemporaryFolder, [String]) {
        let folder = try TemporaryFolder()
        var bases: [String] = []
        for network in ["mainnet", "ghostnet"] {
            try folder.write(artifact: artifactJSON(network: network, height: 10), in: network)
            try folder.write(artifact: artifactJSON(network: network, type: "tezos-snapshot", height: 11, additionalInfo: .object(["rc": .integer(1)])), in: network)
            try folder.write(artifact: artifactJSON(network: network, mode: "archive", height: 12), in: network)
            let base = folder.subpath("\(network)-base.json")
            #expect(try Shots.run(["merge", folder.subpath(network), "-o", base]).status == 0)
            bases.append(base)
        }
        return (folder, bases)
    }

    @Test("tezos-snapshots.json validates against the shipped draft-04 schema (Python jsonschema)")
    func schemaValid() throws {
        let (folder, bases) = try networks()
        let output = folder.subpath("tezos-snapshots.json")
        let run = try Shots.run(["catalog"] + bases + ["-o", output, "--org", "Example Org"])
        #expect(run.status == 0, "\(run.stderr)")
        let check = try validateWithSchema(output)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("valid: 6 artifacts"))

        // The schema is a real check: a document with a bad checksum fails it.
        let tampered = folder.subpath("tampered.json")
        try String(contentsOfFile: output, encoding: .utf8)
            .replacingOccurrences(of: "7961409dad2b8ff917551eea4a5178c1a6d95a21f807f1020a34e3acedaaad4c", with: "not-a-checksum")
            .write(toFile: tampered, atomically: true, encoding: .utf8)
        #expect(try validateWithSchema(tampered).status != 0)
    }

    @Test("with SOURCE_DATE_EPOCH two runs give byte-identical documents")
    func reproducible() throws {
        let (folder, bases) = try networks()
        let environment = ["SOURCE_DATE_EPOCH": "1700000000", "SHOTS_ORG": "Example Org"]
        #expect(try Shots.run(["catalog"] + bases + ["-o", folder.subpath("a.json")], environment: environment).status == 0)
        #expect(try Shots.run(["catalog"] + bases + ["-o", folder.subpath("b.json")], environment: environment).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: folder.subpath("a.json")))
        #expect(first == (try Data(contentsOf: URL(fileURLWithPath: folder.subpath("b.json")))))
        let document = try JSONParser.parse(first)
        #expect(document["date_generated"] == .string("2023-11-14T22:13:20Z"))
        #expect(document["org"] == .string("Example Org"))
        #expect(document["$schema"] == .string(SnapshotsDocument.defaultSchemaURL))
    }

    @Test("the summary shows what each permalink serves, per network")
    func summary() throws {
        let (folder, bases) = try networks()
        let run = try Shots.run(["catalog"] + bases + ["-o", folder.subpath("t.json"), "--org", "O"])
        let lines = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("mainnet rolling 1 mainnet-11.rolling 11 v19.1 rc~1 51M"))
        #expect(lines.contains("ghostnet archive-tarball 1 tezos-ghostnet-archive-tarball-12.lz4 12 v19.1 51M"))
    }

    @Test("a base.json that cannot be read stops the run: no document without that network")
    func missingNetwork() throws {
        let (folder, bases) = try networks()
        let output = folder.subpath("tezos-snapshots.json")
        let run = try Shots.run(["catalog", bases[0], folder.subpath("gone/base.json"), "-o", output, "--org", "O"])
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines[0].hasPrefix("error: \(folder.subpath("gone/base.json")): no such file"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a base.json read over HTTP as its bucket serves it; one that cannot be fetched stops the run, naming its URL")
    func remoteBaseJSON() throws {
        let (folder, bases) = try networks()
        let host = try StaticHTTPServer(folder: folder.path)
        let output = folder.subpath("tezos-snapshots.json")
        let run = try Shots.run(["catalog", "\(host.origin)/mainnet-base.json", bases[1], "-o", output, "--org", "O", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let local = folder.subpath("local.json")
        #expect(try Shots.run(["catalog"] + bases + ["-o", local, "--org", "O"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: local)), "the same document as from the files")

        let missing = "http://reader:s3cr3t@127.0.0.1:\(host.origin.split(separator: ":").last!)/gone/base.json"
        let failed = try Shots.run(["catalog", missing, bases[1], "-o", folder.subpath("none.json"), "--org", "O"])
        #expect(failed.status == 1)
        #expect(failed.errorLines.count == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("/gone/base.json") && failed.stderr.contains("HTTP status 404"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("s3cr3t"), "no credential in the message")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("none.json")))
    }

    @Test("--schema-url and --json: the document names the schema, the summary is machine-readable")
    func schemaURLAndJSON() throws {
        let (folder, bases) = try networks()
        let run = try Shots.run(["catalog", "--json", "--schema-url", "https://example.org/s.json", "-o", folder.subpath("t.json")] + bases,
                                environment: ["SHOTS_ORG": "Example"])
        #expect(run.status == 0)
        let summary = try JSONParser.parse(Data(run.stdout.utf8))
        #expect(summary["artifacts"] == .integer(6))
        guard case .array(let latest)? = summary["latest"] else { Issue.record("no latest"); return }
        #expect(latest.count == 6)
        let document = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("t.json"))))
        #expect(document["$schema"] == .string("https://example.org/s.json"))
        #expect(document["org"] == .string("Example"))
    }

    @Test("every verb has --help with examples", arguments: ["merge", "catalog", "build"])
    func help(verb: String) throws {
        let run = try Shots.run([verb, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"))
        #expect(run.stdout.contains("shots \(verb) "))
    }

    @Test("--version prints the version")
    func version() throws {
        let run = try Shots.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("shots "))
    }

    @Test("a usage mistake exits 1 with a one-line reason")
    func usageError() throws {
        let run = try Shots.run(["catalog", "x.json", "-o", "y.json", "--site", "/nonexistent"])
        #expect(run.status == 1)
        #expect(run.errorLines == ["error: --org: say who publishes the snapshots: --org NAME, SHOTS_ORG, or org in site.yml"])
    }

    @Test("without --org, the org and schema URL come from the site's site.yml")
    func defaultsFromSite() throws {
        let (folder, bases) = try networks()
        let run = try Shots.run(["catalog"] + bases + ["-o", folder.subpath("t.json"), "--site", Shots.packageRoot.appendingPathComponent("site").path])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("t.json"))))
        #expect(document["org"] == .string("xtz-shots sample"))
        #expect(document["$schema"] == .string("https://xtz-shots.io/tezos-snapshots.schema.json"))
    }

    @Test("catalog and build write the same tezos-snapshots.json for the same artifacts, with or without SOURCE_DATE_EPOCH and SHOTS_ORG",
          arguments: [[:], ["SOURCE_DATE_EPOCH": "1700000000"], ["SHOTS_ORG": "Another Org", "SHOTS_SCHEMA_URL": "https://example.org/schema.json"]])
    func oneWriter(environment: [String: String]) throws {
        let folder = try TemporaryFolder()
        let site = Shots.packageRoot.appendingPathComponent("site").path
        let templates = Shots.packageRoot.appendingPathComponent("templates").path
        for height in [100, 300] as [Int64] { try folder.write(artifact: artifactJSON(height: height), in: "bucket") }
        try folder.write(artifact: artifactJSON(network: "ghostnet", height: 200, timestamp: "2024-06-01T10:00:00Z"), in: "bucket")
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")]).status == 0)
        let catalog = try Shots.run(["catalog", folder.subpath("base.json"), "--site", site, "-o", folder.subpath("catalog.json")], environment: environment)
        #expect(catalog.status == 0, "\(catalog.stderr)")
        let build = try Shots.run(["build", folder.subpath("base.json"), "--site", site, "--templates", templates, "-o", folder.subpath("out")],
                                  environment: environment)
        #expect(build.status == 0, "\(build.stderr)")
        let written = try Data(contentsOf: URL(fileURLWithPath: folder.subpath("catalog.json")))
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: folder.subpath("out/tezos-snapshots.json")))))
        let document = try JSONParser.parse(written)
        #expect(document["date_generated"] == .string(environment["SOURCE_DATE_EPOCH"] != nil ? "2023-11-14T22:13:20Z" : "2024-06-01T10:00:00Z"))
        #expect(document["org"] == .string(environment["SHOTS_ORG"] ?? "xtz-shots sample"))
    }

    @Test("a flag with a closed set of values refuses any other on one line naming the flag and the values, before anything runs")
    func typedFlags() throws {
        let folder = try TemporaryFolder()
        let cases: [(arguments: [String], expected: String)] = [
            (["publish", folder.subpath("data"), "--acl", "public", "--store", folder.subpath("s")],
             "The value 'public' is invalid for '--acl <acl>'. Please provide one of the following: 'private', 'public-read'"),
            (["pack", folder.subpath("data"), "--profile", "polkadot", "--database", "leveldb", "-o", folder.subpath("out")],
             "The value 'leveldb' is invalid for '--database <database>'. Please provide one of 'rocksdb' and 'paritydb'"),
        ]
        for (arguments, expected) in cases {
            let run = try Shots.run(arguments)
            #expect(run.status == 1)
            #expect(run.errorLines.count == 1 && run.errorLines[0].contains(expected), "\(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing was written")
    }
}

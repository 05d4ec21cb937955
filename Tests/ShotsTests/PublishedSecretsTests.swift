import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

/// Credentials that reach shots through metadata or flags are neither published nor printed.
@Suite("no credential is published or printed, whichever field or flag carries it")
struct PublishedSecretsTests {
    @Test("metadata holding a credential-bearing URL in any field is refused, and the message shows it redacted",
          arguments: [
            ("url", JSONValue.string("ftp://user:SECRETPW@mainnet.xtz-shots.io/x.lz4"), "url: expected an http:// or https:// URL, found a string \"ftp://REDACTED@"),
            ("chain_name", .string("https://user:SECRETPW@evil.example/"), "chain_name: expected a network name"),
            ("x_mirror", .string("https://user:SECRETPW@mirror.example/x.lz4"), "x_mirror: must not hold a URL with credentials"),
            ("x_links", .array([.object(["href": .string("https://s3.example/x?X-Amz-Signature=SECRETPW")])]),
             "x_links[0].href: must not hold a URL with a credential in its query"),
            ("x_note", .string("also at https://user:SECRETPW@mirror.example/x.lz4 if the main host is down"),
             "x_note: must not hold a URL with credentials"),
          ])
    func metadataSecrets(field: String, value: JSONValue, message: String) throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1).merging([field: value]))
        for arguments in [["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")],
                          ["merge", "--json", folder.subpath("bucket"), "-o", folder.subpath("base.json")]] {
            let run = try Shots.run(arguments)
            #expect(run.status == 2, "rejected, the rest merged: \(run.stderr)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
            #expect(!run.stderr.contains("SECRETPW") && !run.stdout.contains("SECRETPW"))
        }
    }

    @Test("catalog refuses an org with markup and a $schema URL with credentials, without printing them",
          arguments: [
            (["--org", "<script>alert(1)</script>"], [:], "--org: expected one line of text"),
            (["--org", "Org", "--schema-url", "https://u:SECRETPW@h.example/s.json"], [:], "--schema-url: must not carry credentials"),
            (["--org", "Org"], ["SHOTS_SCHEMA_URL": "https://h.example/s.json?token=SECRETPW"], "SHOTS_SCHEMA_URL: must not carry a credential in its query"),
            (["--org", "Org", "--schema-url", "ftp://u:SECRETPW@h/s.json"], [:], "--schema-url: expected an http(s) URL, found \"ftp://REDACTED@h/s.json\""),
          ])
    func catalogFlags(flags: [String], environment: [String: String], message: String) throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1))
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")]).status == 0)
        let run = try Shots.run(["catalog", folder.subpath("base.json"), "-o", folder.subpath("tezos-snapshots.json")] + flags,
                                environment: environment)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!run.stderr.contains("SECRETPW"))
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("tezos-snapshots.json")))
    }
}

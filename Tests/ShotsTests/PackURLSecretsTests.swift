import Foundation
import Testing
import TestSupport

@Suite("shots pack: no URL's credentials in any message", .serialized)
struct PackURLSecretsTests {
    /// `shots pack` of the fixture with its block info and version from `--rpc url`.
    func packFromRPC(_ url: String, in folder: TemporaryFolder) throws -> ProgramRun {
        let data = try TezosDataDir(in: folder)
        return try Shots.run(["pack", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--base-url", "https://mainnet.xtz-shots.io",
                              "--unsigned", "--rpc", url, "-o", folder.subpath("out")])
    }

    /// Fails (exit 1, one line, nothing written) without a word of the secrets.
    func expectRefusedQuietly(_ run: ProgramRun, _ folder: TemporaryFolder, secrets: [String] = ["admin", "pass"]) {
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        for secret in secrets { #expect(!run.stderr.contains(secret), "\(run.stderr)") }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.subpath("out"))) ?? []).isEmpty)
    }

    @Test("an --rpc URL too broken to parse, a password holding /, or no scheme: the error shows none of the userinfo", arguments: [
        "http://admin:pass@[::1", "http://admin:pa/ss@127.0.0.1:1/", "http://admin:pa?ss@127.0.0.1:1", "admin:pass@127.0.0.1:1",
    ])
    func unparsable(url: String) throws {
        let folder = try TemporaryFolder()
        let run = try packFromRPC(url, in: folder)
        expectRefusedQuietly(run, folder, secrets: ["admin", "pass", "pa/ss", "pa?ss"])
        #expect(run.stderr.contains("REDACTED@"), "\(run.stderr)")
    }

    @Test("--rpc with credentials where nothing listens: libcurl's message is shown, the credentials are not")
    func nothingListening() throws {
        let folder = try TemporaryFolder()
        let run = try packFromRPC("http://admin:pass@127.0.0.1:1/", in: folder)
        expectRefusedQuietly(run, folder)
        #expect(run.stderr.contains("REDACTED@127.0.0.1:1"), "\(run.stderr)")
    }

    @Test("--rpc with credentials and a token, answered 404 by a real server: neither is shown")
    func answeredWithAnError() throws {
        let folder = try TemporaryFolder()
        let node = try ListeningProcess(announcingPort: ["python3", Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/node-rpc-stand-in.py").path])
        let run = try packFromRPC("http://admin:pass@127.0.0.1:\(node.port)/prefix?token=s3cr3t-t0ken", in: folder)
        expectRefusedQuietly(run, folder, secrets: ["admin", "pass", "s3cr3t-t0ken"])
        #expect(run.stderr.contains("HTTP status 404"), "\(run.stderr)")
    }

    @Test("--base-url or the site's artifact_host with credentials is refused before packing, naming what it carries and not the secret")
    func baseURL() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        // ("user:password@host" may be said: the secret here is "hunter2".)
        for url in ["https://admin:hunter2@mainnet.xtz-shots.io", "https://mainnet.xtz-shots.io/x?X-Amz-Signature=hunter2"] {
            let run = try pack(data, folder, extra: ["--unsigned", "--base-url", url])
            expectRefusedQuietly(run, folder, secrets: ["admin", "hunter2"])
            #expect(run.stderr.contains("--base-url") && run.stderr.contains("REDACTED"), "\(run.stderr)")
        }
        let site = folder.subpath("site")
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let config = try String(contentsOf: Shots.packageRoot.appendingPathComponent("site/site.yml"), encoding: .utf8)
            .replacingOccurrences(of: "artifact_host: https://{network}.xtz-shots.io", with: "artifact_host: https://admin:hunter2@{network}.xtz-shots.io")
        #expect(config.contains("admin:hunter2@"))
        try config.write(toFile: site + "/site.yml", atomically: false, encoding: .utf8)
        let run = try Shots.run([
            "pack", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--site", site, "--unsigned",
            "--block-height", "5000000", "--block-hash", TezosDataDir.blockHash, "--block-timestamp", "2024-06-20T10:00:00Z",
            "--node-version", folder.subpath("version.json"), "-o", folder.subpath("out"),
        ])
        expectRefusedQuietly(run, folder, secrets: ["admin", "hunter2"])
        #expect(run.stderr.contains("artifact_host"), "\(run.stderr)")
    }
}

import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots publish` into folder stores, as `make run` does and as two Jobs racing on one machine do.
final class PublishCommandTests: XCTestCase {
    private static let site = FolderStores.site

    private func publish(_ source: String, _ stores: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> ProgramRun {
        try FolderStores(root: stores).publish(source, extra, environment: environment)
    }

    private func redirect(_ stores: String, _ key: String) throws -> String? { try FolderStores(root: stores).redirect(key) }

    private func baseFilenames(_ stores: String) throws -> [String] { try FolderStores(root: stores).baseFilenames() }

    func testPublishesEverythingAClientNeedsAndARerunChangesNothing() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let artifact = try packedArtifact(data, folder, height: 5_000_000, key: folder.subpath("keys/shots.key"))
        let stores = folder.subpath("stores")
        let run = try publish(artifact, stores, ["--signing-key", folder.subpath("keys/shots.key")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("ignores"), "the folder store honours conditional writes: \(run.stderr)")
        for step in ["Upload artifact", "Upload checksum, signature and metadata", "Merge base.json", "Build site", "Upload catalog", "Upload pages", "Move permalinks"] {
            XCTAssertTrue(run.stdout.contains(step + ":"), "step \(step) is logged: \(run.stdout)")
        }
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        // The node operator's checks, with the real tools, on what the store holds.
        let check = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \(stores)/mainnet && sha256sum -c \(name).sha256 && minisign -Vm \(name).sha256 -p \(folder.subpath("keys/shots.pub")) -q"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let catalog = try runProgram(URL(fileURLWithPath: "/usr/bin/minisign"), ["-Vm", "\(stores)/site/tezos-snapshots.json", "-p", folder.subpath("keys/shots.pub"), "-q"])
        XCTAssertEqual(catalog.status, 0, "the catalog's signature verifies: \(catalog.stderr)")
        XCTAssertEqual(try baseFilenames(stores), [name])
        XCTAssertEqual(try redirect(stores, "rolling-tarball"), "/" + name)
        XCTAssertEqual(try redirect(stores, "rolling-tarball-metadata"), "/" + name + ".json")
        XCTAssertEqual(try redirect(stores, "index.html"), "https://xtz-shots.io/mainnet/")
        XCTAssertTrue(FileManager.default.fileExists(atPath: stores + "/site/mainnet/index.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stores + "/site/_redirects"))
        let document = try String(contentsOfFile: stores + "/site/tezos-snapshots.json", encoding: .utf8)
        XCTAssertTrue(document.contains(name))

        // A retried Job: everything is there with the same bytes, so it succeeds and writes nothing.
        let before = snapshot(of: stores)
        let again = try publish(artifact, stores, ["--signing-key", folder.subpath("keys/shots.key"), "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        guard case .array(let written)? = try JSONParser.parse(Data(again.stdout.utf8))["written"] else { return XCTFail(again.stdout) }
        XCTAssertEqual(written.count, 0, "nothing rewritten: \(again.stdout)")
        XCTAssertEqual(snapshot(of: stores), before)
    }

    func testADifferentArtifactUnderAPublishedNameIsRefusedAndTheOriginalStays() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let artifact = try packedArtifact(data, folder, height: 5_000_000)
        let stores = folder.subpath("stores")
        XCTAssertEqual(try publish(artifact, stores).status, 0)
        let published = try Data(contentsOf: URL(fileURLWithPath: stores + "/mainnet/tezos-mainnet-rolling-tarball-5000000.lz4"))
        try "changed\n".write(toFile: data.root + "/node/data/config.json", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: folder.subpath("out-5000000"))
        let other = try packedArtifact(data, folder, height: 5_000_000)
        let run = try publish(other, stores)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("step \"Upload artifact\"") && run.stderr.contains("a different artifact is already published"), run.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: stores + "/mainnet/tezos-mainnet-rolling-tarball-5000000.lz4")), published)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stores + "/mainnet/.shots-store/uploads"), [], "no staged upload left")
    }

    /// An archive Job that finishes late cannot move a permalink to an older artifact.
    func testAPermalinkNeverMovesBackwards() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let newer = try packedArtifact(data, folder, height: 5_000_200)
        let older = try packedArtifact(data, folder, height: 5_000_100)
        let stores = folder.subpath("stores")
        XCTAssertEqual(try publish(newer, stores).status, 0)
        // The older one is published after: the catalog gains it, the permalink stays.
        let run = try publish(older, stores)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try redirect(stores, "rolling-tarball"), "/tezos-mainnet-rolling-tarball-5000200.lz4")
        XCTAssertEqual(Set(try baseFilenames(stores)), ["tezos-mainnet-rolling-tarball-5000200.lz4", "tezos-mainnet-rolling-tarball-5000100.lz4"])
    }

    /// Artifacts on a host without website redirects (DigitalOcean Spaces), permalinks in a bucket
    /// of their own: they lead to the artifacts' absolute URLs, and still never backwards.
    func testPermalinksInTheirOwnStoreLeadToTheArtifactsAbsoluteURLs() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let newer = try packedArtifact(data, folder, height: 5_000_200)
        let older = try packedArtifact(data, folder, height: 5_000_100)
        let stores = folder.subpath("stores")
        let permalinks = folder.subpath("permalinks")
        for artifact in [newer, older] {
            let run = try publish(artifact, stores, ["--permalink-store", permalinks + "/{network}"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        XCTAssertEqual(try redirect(permalinks, "rolling-tarball"), "https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-5000200.lz4")
        XCTAssertEqual(try redirect(permalinks, "rolling-tarball-metadata"), "https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-5000200.lz4.json")
        XCTAssertEqual(try redirect(permalinks, "index.html"), "https://xtz-shots.io/mainnet/")
        for key in ["rolling-tarball", "rolling-tarball-metadata", "index.html"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(stores)/mainnet/\(key)"), "\(key) is not written beside the artifacts")
        }
        XCTAssertEqual(Set(try baseFilenames(stores)), ["tezos-mainnet-rolling-tarball-5000200.lz4", "tezos-mainnet-rolling-tarball-5000100.lz4"])
    }

    /// One folder for every network would mix their base.json: refused before anything is written.
    func testStoresThatShareKeysAreRefused() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let artifact = try packedArtifact(data, folder, height: 5_000_000)
        let run = try Shots.run(["publish", artifact, "--site", Self.site, "--unsigned", "--store", folder.subpath("stores"),
                                 "--site-store", folder.subpath("site")])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.errorLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("--store of ghostnet: ") && run.stderr.contains("overlaps --store of mainnet"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.subpath("stores")), [], "nothing written")
    }

    func testAFailingStepIsNamedAndLeavesPagesAndPermalinksAsTheyWere() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let first = try packedArtifact(data, folder, height: 5_000_000)
        let second = try packedArtifact(data, folder, height: 5_000_001)
        let stores = folder.subpath("stores")
        XCTAssertEqual(try publish(first, stores).status, 0)
        let pages = snapshot(of: stores + "/site")
        let run = try publish(second, stores, ["--templates", folder.subpath("no-templates")])
        XCTAssertEqual(run.status, 1)
        let errors = run.errorLines.filter { $0.hasPrefix("error:") }
        XCTAssertEqual(errors.count, 1, run.stderr)
        XCTAssertTrue(errors.first?.hasPrefix("error: step \"Build site\"") ?? false, run.stderr)
        XCTAssertEqual(snapshot(of: stores + "/site"), pages, "the site is as it was")
        XCTAssertEqual(try redirect(stores, "rolling-tarball"), "/tezos-mainnet-rolling-tarball-5000000.lz4", "the permalink did not move")
        // Run again as it should have been: it completes what the failed run left.
        XCTAssertEqual(try publish(second, stores).status, 0)
        XCTAssertEqual(try redirect(stores, "rolling-tarball"), "/tezos-mainnet-rolling-tarball-5000001.lz4")
    }

    func testAPreviewPublishLeadsEveryLinkToThePreviewServer() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try folder.write("block/BLOCK_HEIGHT", "5000000")
        try folder.write("block/BLOCK_HASH", TezosDataDir.blockHash)
        try folder.write("block/BLOCK_TIMESTAMP", "2024-06-20T10:00:00Z")
        let stores = folder.subpath("stores")
        let packFlags = ["--profile", "tezos-rolling", "--network", "mainnet", "--block-info-dir", folder.subpath("block"),
                         "--node-version", folder.subpath("version.json")]
        let run = try publish(data.root, stores, packFlags + ["--preview", "http://127.0.0.1:4123/"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        let metadata = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: "\(stores)/mainnet/\(name).json")))
        XCTAssertEqual(metadata["url"], .string("http://127.0.0.1:4123/store/mainnet/" + name))
        XCTAssertEqual(try redirect(stores, "index.html"), "http://127.0.0.1:4123/mainnet/")
        let rules = try String(contentsOfFile: stores + "/site/_redirects", encoding: .utf8)
        XCTAssertTrue(rules.contains("/mainnet/rolling-tarball http://127.0.0.1:4123/store/mainnet/\(name) 302"), rules)
        let page = try String(contentsOfFile: stores + "/site/mainnet/index.html", encoding: .utf8)
        XCTAssertFalse(page.contains("xtz-shots.io/"), "no link leads to the production hosts")

        let bad = try publish(data.root, folder.subpath("other"), packFlags + ["--preview", "127.0.0.1:4000"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.errorLines.last?.contains("--preview: expected the preview server's origin, e.g. http://127.0.0.1:4000, found \"127.0.0.1:4000\"") == true, bad.stderr)
    }

    func testADryRunPrintsThePlanAndWritesNothing() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let artifact = try packedArtifact(data, folder, height: 5_000_000)
        let stores = folder.subpath("stores")
        XCTAssertEqual(try publish(artifact, stores).status, 0)
        let before = snapshot(of: stores)
        let next = try packedArtifact(data, folder, height: 5_000_001)
        let run = try publish(next, stores, ["--dry-run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("write \(stores)/mainnet/tezos-mainnet-rolling-tarball-5000001.lz4"), run.stdout)
        XCTAssertTrue(run.stdout.contains("write \(stores)/mainnet/base.json"), run.stdout)
        // The permalinks the run would move, from where to where, and the pages it would change.
        XCTAssertTrue(run.stdout.contains("move  \(stores)/mainnet/rolling-tarball: /tezos-mainnet-rolling-tarball-5000000.lz4 -> /tezos-mainnet-rolling-tarball-5000001.lz4"), run.stdout)
        XCTAssertTrue(run.stdout.contains("write \(stores)/site/mainnet/index.html"), run.stdout)
        XCTAssertTrue(run.stdout.contains("write \(stores)/site/tezos-snapshots.json"), run.stdout)
        XCTAssertFalse(run.stdout.contains("/mainnet/index.html: "), "the store's index.html stays: \(run.stdout)")
        XCTAssertEqual(snapshot(of: stores), before)
    }

    /// Eight Jobs publishing different artifacts of one network at the same moment, each with its
    /// own HOME and TMPDIR: every artifact is in base.json, and the permalinks and catalog are what
    /// the full base.json implies. Whether two of them meet on base.json is up to the scheduler,
    /// so rounds of eight run until one round shows a publisher merging again (eight rounds at most:
    /// on a loaded machine, with other tests running beside it, a round may well not race).
    func testRacingPublishersLoseNothing() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let stores = folder.subpath("stores")
        let homes = folder.subpath("homes")
        var published: Set<String> = []
        var retries = 0
        for round in 0..<8 where retries == 0 {
            let heights = (1...8).map { 5_000_000 + round * 100 + $0 }
            let artifacts = try heights.map { try packedArtifact(data, folder, height: $0) }
            let runs = LockedRuns()
            DispatchQueue.concurrentPerform(iterations: artifacts.count) { index in
                let home = homes + "/\(round)-\(index)"
                try? FileManager.default.createDirectory(atPath: home + "/tmp", withIntermediateDirectories: true)
                runs.add(try! FolderStores(root: stores).publish(artifacts[index], environment: ["HOME": home, "TMPDIR": home + "/tmp"]))
            }
            for run in runs.all { XCTAssertEqual(run.status, 0, run.stderr) }
            published.formUnion(heights.map { "tezos-mainnet-rolling-tarball-\($0).lz4" })
            XCTAssertEqual(Set(try baseFilenames(stores)), published, "round \(round) lost nothing")
            retries += runs.all.map { $0.stdout.components(separatedBy: "merging again").count - 1 }.reduce(0, +)
            // Whoever finished last, the permalink is the newest of all, and the catalog holds them all.
            XCTAssertEqual(try redirect(stores, "rolling-tarball"), "/tezos-mainnet-rolling-tarball-\(heights.last!).lz4")
            let document = try String(contentsOfFile: stores + "/site/tezos-snapshots.json", encoding: .utf8)
            for name in published { XCTAssertTrue(document.contains(name + "\""), "the catalog has \(name)") }
        }
        XCTAssertGreaterThan(retries, 0, "in eight rounds, no two publishers met on base.json: the test did not race")
    }
}

final class LockedRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [ProgramRun] = []
    func add(_ run: ProgramRun) { lock.withLock { runs.append(run) } }
    var all: [ProgramRun] { lock.withLock { runs } }
}

import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots publish` into moto (signatures checked) over loopback, read back by boto3, with faults
/// from the proxy in between.
final class PublishS3Tests: XCTestCase {
    private static let site = Shots.packageRoot.path + "/site"

    private func start() throws -> MotoServer {
        let moto = try MotoServer()
        for bucket in ["mainnet-shots", "ghostnet-shots", "site-shots"] { try moto.makeBucket(bucket) }
        return moto
    }

    private static func environment(_ moto: MotoServer) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey, "AWS_REGION": moto.region,
         "SHOTS_S3_ATTEMPTS": "3", "SHOTS_S3_RETRY_BASE_SECONDS": "0.05"]
    }

    private static func arguments(_ source: String, endpoint: String, _ extra: [String]) -> [String] {
        ["publish", source, "--site", site, "--store", "s3://{network}-shots", "--site-store", "s3://site-shots",
         "--endpoint-url", endpoint, "--acl", "public-read"] + (extra.contains("--signing-key") ? [] : ["--unsigned"]) + extra
    }

    private static func publish(_ source: String, _ moto: MotoServer, endpoint: String? = nil, _ extra: [String] = [],
                                environment: [String: String] = [:]) throws -> ProgramRun {
        try Shots.run(arguments(source, endpoint: endpoint ?? moto.endpoint, extra), environment: Self.environment(moto).merging(environment) { $1 })
    }

    private func object(_ moto: MotoServer, _ bucket: String, _ key: String, _ command: String = "head") throws -> [String: Any] {
        try XCTUnwrap(moto.inspect([command, bucket, key]) as? [String: Any])
    }

    private func uploads(_ moto: MotoServer) throws -> Int {
        (try XCTUnwrap(moto.inspect(["uploads", "mainnet-shots"]) as? [String: Any])["uploads"] as? [Any])?.count ?? -1
    }

    func testAFullPublishReadBackByAnotherClient() throws {
        let moto = try start()
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let key = folder.subpath("keys/shots.key")
        let artifact = try packedArtifact(data, folder, height: 5_000_000, key: key)
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        let run = try Self.publish(artifact, moto, ["--signing-key", key])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains(moto.secretKey) || run.stderr.contains(moto.secretKey), "the secret never reaches a log")
        XCTAssertFalse(run.stderr.contains("ignores"), "moto honours conditional writes: \(run.stderr)")

        let stored = try object(moto, "mainnet-shots", name)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: artifact)[.size] as? Int)
        XCTAssertEqual(stored["ContentLength"] as? Int, size)
        XCTAssertEqual(stored["ContentType"] as? String, "application/x-lz4")
        XCTAssertEqual(try XCTUnwrap(moto.inspect(["acl", "mainnet-shots", name]) as? [String: Any])["public_read"] as? Bool, true)
        for (permalink, target) in [("rolling-tarball", "/" + name), ("rolling-tarball-metadata", "/\(name).json"),
                                    ("index.html", "https://xtz-shots.io/mainnet/")] {
            let redirect = try object(moto, "mainnet-shots", permalink)
            XCTAssertEqual(redirect["WebsiteRedirectLocation"] as? String, target, permalink)
            XCTAssertEqual(redirect["CacheControl"] as? String, "no-cache", permalink)
        }
        XCTAssertTrue((try object(moto, "mainnet-shots", "base.json", "get")["text"] as? String ?? "").contains(name))
        XCTAssertEqual(try object(moto, "mainnet-shots", name + ".json")["ContentType"] as? String, "application/json")
        XCTAssertEqual(try object(moto, "site-shots", "mainnet/index.html")["ContentType"] as? String, "text/html; charset=utf-8")
        // The signed catalog, verified with minisign from what boto3 downloads.
        for file in ["tezos-snapshots.json", "tezos-snapshots.json.minisig"] {
            let text = try XCTUnwrap(object(moto, "site-shots", file, "get")["text"] as? String)
            try folder.write("downloaded/" + file, text)
        }
        let verify = try runProgram(URL(fileURLWithPath: "/usr/bin/minisign"),
                                    ["-Vm", folder.subpath("downloaded/tezos-snapshots.json"), "-p", folder.subpath("keys/shots.pub"), "-q"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(try uploads(moto), 0)
    }

    /// One bucket for everything, a prefix each: S3 website hosting resolves a redirect location
    /// from the bucket's root, so the permalinks carry their network's prefix.
    func testOneBucketWithAPrefixPerNetworkAndForTheSite() throws {
        let moto = try MotoServer()
        try moto.makeBucket("shots")
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        let run = try Shots.run(["publish", try packedArtifact(data, folder, height: 5_000_000), "--site", Self.site, "--unsigned",
                                 "--store", "s3://shots/{network}", "--site-store", "s3://shots/site", "--endpoint-url", moto.endpoint],
                                environment: Self.environment(moto))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try object(moto, "shots", "mainnet/" + name)["ContentLength"] as? Int,
                       try XCTUnwrap(FileManager.default.attributesOfItem(atPath: folder.subpath("out-5000000/" + name))[.size] as? Int))
        XCTAssertEqual(try object(moto, "shots", "mainnet/rolling-tarball")["WebsiteRedirectLocation"] as? String, "/mainnet/" + name)
        XCTAssertTrue((try object(moto, "shots", "mainnet/base.json", "get")["text"] as? String ?? "").contains(name))
        XCTAssertTrue((try object(moto, "shots", "site/tezos-snapshots.json", "get")["text"] as? String ?? "").contains(name))
        // The site at the bucket's root would put its mainnet/ pages where the network's objects are.
        let overlapping = try Shots.run(["publish", folder.subpath("out-5000000/" + name), "--site", Self.site, "--unsigned",
                                         "--store", "s3://shots/{network}", "--site-store", "s3://shots", "--endpoint-url", moto.endpoint],
                                        environment: Self.environment(moto))
        XCTAssertEqual(overlapping.status, 1)
        XCTAssertTrue(overlapping.stderr.contains("overlaps --site-store s3://shots"), overlapping.stderr)
    }

    /// A host that ignores conditional writes is named in the log, once.
    func testAHostThatIgnoresConditionsIsNamedOnce() throws {
        let moto = try start()
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules(#"[{"action": "strip-header", "header": ["If-Match", "If-None-Match"]}]"#)
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let run = try Self.publish(try packedArtifact(data, folder, height: 5_000_000), moto, endpoint: proxy.endpoint)
        XCTAssertEqual(run.status, 0, run.stderr)
        let warnings = run.stderr.components(separatedBy: "\n").filter { $0.contains("ignores If-None-Match and If-Match") }
        XCTAssertEqual(warnings.count, 1, run.stderr)
    }

    /// A pod evicted mid-upload (SIGTERM): the multipart upload is aborted, no parts stay, and the
    /// permalinks still lead to the previous artifact.
    func testSIGTERMMidUploadAbortsAndLeavesPermalinks() throws {
        let moto = try start()
        let proxy = try FaultProxy(for: moto)
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        XCTAssertEqual(try Self.publish(try packedArtifact(data, folder, height: 5_000_000), moto).status, 0)
        // 120 MB that do not compress: fifteen parts.
        let noise = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 120000000 /dev/urandom > \(data.root)/node/data/store/noise.bin"])
        XCTAssertEqual(noise.status, 0)
        let big = try packedArtifact(data, folder, height: 5_000_001)

        let process = Process()
        process.executableURL = Shots.binary
        process.arguments = Self.arguments(big, endpoint: proxy.endpoint, [])
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment(moto)) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try !proxy.log().contains(where: { ($0["query"] as? String ?? "").contains("partNumber=2&") }) {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGTERM)
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
        XCTAssertTrue(String(decoding: stderr, as: UTF8.self).contains("aborted the multipart upload"), String(decoding: stderr, as: UTF8.self))
        XCTAssertEqual(try uploads(moto), 0, "no orphan parts")
        XCTAssertEqual(try object(moto, "mainnet-shots", "tezos-mainnet-rolling-tarball-5000001.lz4")["missing"] as? Bool, true)
        XCTAssertEqual(try object(moto, "mainnet-shots", "rolling-tarball")["WebsiteRedirectLocation"] as? String,
                       "/tezos-mainnet-rolling-tarball-5000000.lz4")
    }

    /// Every part after the first is cut: the run fails naming its step, aborts the upload, and
    /// moves nothing; run again once the network is back, it completes.
    func testAFailedUploadMovesNothingAndARerunCompletes() throws {
        let moto = try start()
        let proxy = try FaultProxy(for: moto)
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        XCTAssertEqual(try Self.publish(try packedArtifact(data, folder, height: 5_000_000), moto).status, 0)
        let noise = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 30000000 /dev/urandom > \(data.root)/node/data/store/noise.bin"])
        XCTAssertEqual(noise.status, 0)
        let big = try packedArtifact(data, folder, height: 5_000_001)
        try proxy.setRules(#"[{"method": "PUT", "query": "partNumber=([2-9]|1[0-9])&", "action": "reset"}]"#)
        let failed = try Self.publish(big, moto, endpoint: proxy.endpoint)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("error: step \"Upload artifact\""), failed.stderr)
        XCTAssertEqual(try uploads(moto), 0, "aborted")
        XCTAssertEqual(try object(moto, "mainnet-shots", "rolling-tarball")["WebsiteRedirectLocation"] as? String,
                       "/tezos-mainnet-rolling-tarball-5000000.lz4")
        try proxy.setRules("[]")
        let again = try Self.publish(big, moto, endpoint: proxy.endpoint)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try object(moto, "mainnet-shots", "rolling-tarball")["WebsiteRedirectLocation"] as? String,
                       "/tezos-mainnet-rolling-tarball-5000001.lz4")
    }

    /// Publishers racing on one network's bucket, with moto's request handling serialized (it checks
    /// conditions non-atomically): every artifact is in base.json, and the permalink is the newest.
    func testRacingPublishersAgainstS3LoseNothing() throws {
        let moto = try start()
        let proxy = try FaultProxy(for: moto, serialize: true)
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let homes = folder.subpath("homes")
        var published: Set<String> = []
        var retries = 0
        for round in 0..<3 where retries == 0 {
            let heights = (1...4).map { 5_000_000 + round * 100 + $0 }
            let artifacts = try heights.map { try packedArtifact(data, folder, height: $0) }
            let runs = LockedRuns()
            let endpoint = proxy.endpoint
            let environment = Self.environment(moto)
            DispatchQueue.concurrentPerform(iterations: artifacts.count) { index in
                let home = homes + "/\(round)-\(index)"
                try? FileManager.default.createDirectory(atPath: home + "/tmp", withIntermediateDirectories: true)
                let own = environment.merging(["HOME": home, "TMPDIR": home + "/tmp"]) { $1 }
                runs.add(try! Shots.run(Self.arguments(artifacts[index], endpoint: endpoint, []), environment: own))
            }
            for run in runs.all { XCTAssertEqual(run.status, 0, run.stderr) }
            published.formUnion(heights.map { "tezos-mainnet-rolling-tarball-\($0).lz4" })
            let base = try XCTUnwrap(object(moto, "mainnet-shots", "base.json", "get")["text"] as? String)
            for name in published { XCTAssertTrue(base.contains("\"\(name)\""), "round \(round): base.json has \(name)") }
            retries += runs.all.map { $0.stdout.components(separatedBy: "merging again").count - 1 }.reduce(0, +)
            XCTAssertEqual(try object(moto, "mainnet-shots", "rolling-tarball")["WebsiteRedirectLocation"] as? String,
                           "/tezos-mainnet-rolling-tarball-\(heights.last!).lz4")
        }
        XCTAssertGreaterThan(retries, 0, "in three rounds no two publishers met on base.json: the test did not race")
    }
}

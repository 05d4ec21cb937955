import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// A 1 GB artifact packed and streamed straight into S3: memory stays bounded and flat, and no
/// copy of the artifact touches a disk (shots' TMPDIR and the data dir's parent are 32 MiB tmpfs
/// mounts in a private mount namespace, so a temporary copy would fail the run).
final class PublishMemoryTests: XCTestCase {
    func testAGigabyteStreamsWithBoundedMemoryAndNoTemporaryCopy() throws {
        let moto = try MotoServer()
        for bucket in ["mainnet-shots", "ghostnet-shots", "site-shots"] { try moto.makeBucket(bucket) }
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let noise = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 1000000000 /dev/urandom > \(data.root)/node/data/store/noise.bin"])
        XCTAssertEqual(noise.status, 0)
        let samples = folder.subpath("rss.txt")
        // Inside the namespace: small tmpfs over TMPDIR and over a folder for pack's companions;
        // shots runs in the background while its VmRSS is sampled every 0.25 s.
        let script = try folder.write("stream.sh", """
            set -eu
            mkdir -p "$WORK/tmp"
            mount -t tmpfs -o size=32m tmpfs "$WORK/tmp"
            export TMPDIR="$WORK/tmp"
            "$SHOTS" publish "$DATA" --profile tezos-rolling --network mainnet --base-url https://mainnet.xtz-shots.io \\
              --block-height 5000000 --block-hash "$HASH" --block-timestamp 2024-06-20T10:00:00Z --node-version "$VERSION" \\
              --unsigned --site "$SITE" --store 's3://{network}-shots' --site-store s3://site-shots --endpoint-url "$ENDPOINT" -q &
            pid=$!
            while kill -0 $pid 2>/dev/null; do
              awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null >> "$SAMPLES" || true
              sleep 0.25
            done
            wait $pid
            """)
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/unshare"), ["-rm", "sh", script], environment: [
            "WORK": folder.path, "SHOTS": Shots.binary.path, "DATA": data.root, "HASH": TezosDataDir.blockHash,
            "VERSION": folder.subpath("version.json"), "SITE": Shots.packageRoot.path + "/site", "ENDPOINT": moto.endpoint,
            "SAMPLES": samples, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey,
        ])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let head = try XCTUnwrap(moto.inspect(["head", "mainnet-shots", "tezos-mainnet-rolling-tarball-5000000.lz4"]) as? [String: Any])
        XCTAssertGreaterThan(head["ContentLength"] as? Int ?? 0, 1_000_000_000, "the whole artifact is in the bucket")
        let kib = try String(contentsOfFile: samples, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        XCTAssertGreaterThan(kib.count, 24, "sampled for more than 6 s")
        let peak = kib.max() ?? 0
        XCTAssertLessThan(peak, 150 * 1024, "peak RSS \(peak / 1024) MiB")
        // After 5 s (20 samples) the upload is in its steady state: nothing grows from there (at the
        // end RSS is lower still: the parts are released once the artifact is complete).
        let afterFive = kib[min(20, kib.count - 1)], last = kib[kib.count - 1]
        let latest = kib[min(20, kib.count - 1)...].max() ?? 0
        XCTAssertLessThan(latest - afterFive, 20 * 1024, "RSS after 5 s \(afterFive / 1024) MiB, later at most \(latest / 1024) MiB")
        XCTAssertLessThan(last - afterFive, 20 * 1024, "RSS after 5 s \(afterFive / 1024) MiB, at the end \(last / 1024) MiB")
        print("publish of 1 GB: peak RSS \(peak / 1024) MiB, after 5 s \(afterFive / 1024) MiB, at the end \(last / 1024) MiB, \(kib.count) samples")
    }
}

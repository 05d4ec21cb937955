import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// pipeline/zip-and-upload.sh, the Job's entry point, run with the reference's environment and
/// mounts against moto standing for both DigitalOcean Spaces and AWS, read back by boto3.
final class ZipAndUploadTests: XCTestCase {
    /// CLOUD_PROVIDER=digitalocean as the reference lays it out: the artifact, its sidecars and
    /// base.json in the Space (`mainnet-shots`, written public-read), the permalinks in the AWS
    /// bucket `mainnet.xtz-shots.io` leading to the Space, the website in `xtz-shots.io`; only the
    /// Space's objects are written public-read.
    func testAnArchiveJobOnDigitalOceanPublishesAsTheReferenceLaysItOut() throws {
        let moto = try MotoServer()
        for bucket in ["mainnet-shots", "ghostnet-shots", "mainnet.xtz-shots.io", "ghostnet.xtz-shots.io", "xtz-shots.io"] {
            try moto.makeBucket(bucket)
        }
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try folder.write("cache/BLOCK_HEIGHT", "5200000\n")
        try folder.write("cache/BLOCK_HASH", TezosDataDir.blockHash + "\n")
        try folder.write("cache/BLOCK_TIMESTAMP", "2024-06-21T00:00:00Z\n")
        try folder.write("cache/TEZOS_RPC_VERSION_INFO", TezosDataDir.versionJSON)
        for (secrets, id, key) in [("do-secrets", "do-spaces-access-id", "do-spaces-secret-key"), ("aws-secrets", "aws-access-id", "aws-secret-key")] {
            try folder.write("\(secrets)/\(id)", moto.accessKey)
            try folder.write("\(secrets)/\(key)", moto.secretKey)
        }
        let run = try runProgram(URL(fileURLWithPath: "/bin/bash"), [Shots.packageRoot.path + "/pipeline/zip-and-upload.sh", "zip-and-upload"], environment: [
            "HISTORY_MODE": "archive", "NAMESPACE": "mainnet-shots", "SNAPSHOT_WEBSITE_DOMAIN_NAME": "xtz-shots.io",
            "CLOUD_PROVIDER": "digitalocean", "DO_SPACES_ENDPOINT": moto.endpoint, "DO_SPACES_REGION": moto.region,
            "SHOTS_SITE_ENDPOINT_URL": moto.endpoint, "SHOTS_SITE_REGION": moto.region,
            "DO_SECRETS_DIR": folder.subpath("do-secrets"), "AWS_SECRETS_DIR": folder.subpath("aws-secrets"),
            "DATA_DIR": data.root, "SNAPSHOT_CACHE_DIR": folder.subpath("cache"), "SHOTS_SITE": Shots.packageRoot.path + "/site",
            "SHOTS": Shots.binary.path, "SHOTS_UNSIGNED": "true", "HOME": folder.path, "TMPDIR": folder.path,
            "SHOTS_S3_ATTEMPTS": "2", "SHOTS_S3_RETRY_BASE_SECONDS": "0.05",
        ])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertFalse((run.stdout + run.stderr).contains(moto.secretKey), "the secret never reaches a log")

        let name = "tezos-mainnet-archive-tarball-5200000.lz4"
        let space = "https://mainnet-shots." + moto.endpoint.replacingOccurrences(of: "http://", with: "")
        for key in [name, name + ".sha256", name + ".json", "base.json"] {
            XCTAssertEqual(try XCTUnwrap(moto.inspect(["acl", "mainnet-shots", key]) as? [String: Any])["public_read"] as? Bool, true, key)
        }
        let metadata = try XCTUnwrap(moto.inspect(["get", "mainnet-shots", name + ".json"]) as? [String: Any])["text"] as? String ?? ""
        XCTAssertEqual(try JSONParser.parse(Data(metadata.utf8))["url"], .string("\(space)/\(name)"), "downloads come from the Space")
        for (permalink, target) in [("archive-tarball", "\(space)/\(name)"), ("archive-tarball-metadata", "\(space)/\(name).json"),
                                    ("index.html", "https://xtz-shots.io/mainnet/")] {
            let redirect = try XCTUnwrap(moto.inspect(["head", "mainnet.xtz-shots.io", permalink]) as? [String: Any])
            XCTAssertEqual(redirect["WebsiteRedirectLocation"] as? String, target, permalink)
            XCTAssertEqual(redirect["CacheControl"] as? String, "no-cache", permalink)
            let inSpace = try XCTUnwrap(moto.inspect(["head", "mainnet-shots", permalink]) as? [String: Any])
            XCTAssertEqual(inSpace["missing"] as? Bool, true, "\(permalink) is not written to the Space")
        }
        // The AWS buckets keep their own ACL (an AWS bucket with ACLs disabled refuses public-read).
        for (bucket, key) in [("mainnet.xtz-shots.io", "archive-tarball"), ("xtz-shots.io", "tezos-snapshots.json"), ("xtz-shots.io", "mainnet/index.html")] {
            XCTAssertEqual(try XCTUnwrap(moto.inspect(["acl", bucket, key]) as? [String: Any])["public_read"] as? Bool, false, "\(bucket)/\(key)")
        }
        let catalog = try XCTUnwrap(moto.inspect(["get", "xtz-shots.io", "tezos-snapshots.json"]) as? [String: Any])["text"] as? String ?? ""
        XCTAssertTrue(catalog.contains("\(space)/\(name)"), catalog)
        XCTAssertNotNil(try moto.inspect(["head", "xtz-shots.io", "mainnet/index.html"]) as? [String: Any])
    }
}

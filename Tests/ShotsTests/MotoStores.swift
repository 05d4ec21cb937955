import Foundation
import TestSupport

/// A network bucket per network (`<network>-shots`) and one for the website in moto, with the
/// flags and credentials every verb that publishes takes to reach them.
struct MotoStores {
    let moto: MotoServer
    let environment: [String: String]

    init() throws {
        moto = try MotoServer()
        for bucket in ["mainnet-shots", "ghostnet-shots", "site-shots"] { try moto.makeBucket(bucket) }
        environment = ["AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey, "AWS_REGION": moto.region,
                       "SHOTS_S3_ATTEMPTS": "2", "SHOTS_S3_RETRY_BASE_SECONDS": "0.05"]
    }

    /// A verb with these stores, reached at `endpoint` (a fault proxy in front of moto) or moto itself.
    func run(_ verb: String, _ arguments: [String], endpoint: String? = nil) throws -> ProgramRun {
        let flags = ["--site", FolderStores.site, "--store", "s3://{network}-shots", "--site-store", "s3://site-shots",
                     "--endpoint-url", endpoint ?? moto.endpoint, "--unsigned"]
        return try Shots.run([verb] + arguments + flags, environment: environment)
    }

    /// The website-redirect location of a network bucket's object, as boto3 reads it.
    func redirect(_ key: String, bucket: String = "mainnet-shots") throws -> String? {
        (try moto.inspect(["head", bucket, key]) as? [String: Any])?["WebsiteRedirectLocation"] as? String
    }

    /// Rolling tarballs at these heights, packed from one data dir in `folder` and published.
    func publish(heights: [Int], in folder: TemporaryFolder) throws {
        let data = try TezosDataDir(in: folder)
        for height in heights {
            let run = try run("publish", [try packedArtifact(data, folder, height: height)])
            guard run.status == 0 else { throw PackFailed(stderr: run.stderr) }
        }
    }

    /// Takes an artifact out of a network's base.json by hand, as an operator would with jq.
    func pull(_ name: String, from bucket: String = "mainnet-shots", scratch: TemporaryFolder) throws {
        let path = scratch.subpath("pulled-base.json")
        try Data(try text(bucket, "base.json").utf8).write(to: URL(fileURLWithPath: path))
        try removeFromCatalog(name, at: path)
        _ = try moto.inspect(["put", bucket, "base.json", path])
    }

    func text(_ bucket: String, _ key: String) throws -> String {
        (try moto.inspect(["get", bucket, key]) as? [String: Any])?["text"] as? String ?? ""
    }
}

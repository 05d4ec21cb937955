import Foundation
import TestSupport

/// A network bucket per network (`<network>-shots`) and one for the website in moto, with the
/// flags and credentials every verb that publishes takes to reach them.
struct MotoStores {
    let moto: MotoServer
    let flags: [String]
    let environment: [String: String]

    init() throws {
        moto = try MotoServer()
        for bucket in ["mainnet-shots", "ghostnet-shots", "site-shots"] { try moto.makeBucket(bucket) }
        flags = ["--site", FolderStores.site, "--store", "s3://{network}-shots", "--site-store", "s3://site-shots",
                 "--endpoint-url", moto.endpoint, "--unsigned"]
        environment = ["AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey, "AWS_REGION": moto.region]
    }

    func run(_ verb: String, _ arguments: [String]) throws -> ShotsRun {
        try Shots.run([verb] + arguments + flags, environment: environment)
    }

    /// The website-redirect location of a network bucket's object, as boto3 reads it.
    func redirect(_ key: String, bucket: String = "mainnet-shots") throws -> String? {
        (try moto.inspect(["head", bucket, key]) as? [String: Any])?["WebsiteRedirectLocation"] as? String
    }

    func text(_ bucket: String, _ key: String) throws -> String {
        (try moto.inspect(["get", bucket, key]) as? [String: Any])?["text"] as? String ?? ""
    }
}

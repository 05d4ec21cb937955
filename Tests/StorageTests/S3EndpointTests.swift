@testable import Storage
import XCTest

final class S3EndpointTests: XCTestCase {
    func testAWSIsVirtualHostedAndAnEndpointURLIsPathStyle() throws {
        let aws = try S3Endpoint(url: nil, region: "eu-west-1")
        XCTAssertEqual(aws.target(bucket: "snapshots", key: "a b/c.lz4").base, "https://snapshots.s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(aws.target(bucket: "snapshots", key: "a b/c.lz4").path, "/a%20b/c.lz4")
        let spaces = try S3Endpoint(url: "https://nyc3.digitaloceanspaces.com", region: "us-east-1")
        XCTAssertEqual(spaces.target(bucket: "snapshots", key: "x").path, "/snapshots/x")
        let virtual = try S3Endpoint(url: "https://nyc3.digitaloceanspaces.com", region: "us-east-1", pathStyle: false)
        XCTAssertEqual(virtual.target(bucket: "snapshots", key: "x").host, "snapshots.nyc3.digitaloceanspaces.com")
    }

    /// `mainnet.xtz-shots.io.s3.amazonaws.com` is not covered by `*.s3.amazonaws.com`: TLS would
    /// fail, so such a bucket is addressed path-style even where virtual-hosted is the default.
    func testADottedBucketIsAddressedPathStyleOverTLS() throws {
        let aws = try S3Endpoint(url: nil, region: "us-east-2")
        let target = aws.target(bucket: "mainnet.xtz-shots.io", key: "rolling")
        XCTAssertEqual(target.base, "https://s3.us-east-2.amazonaws.com")
        XCTAssertEqual(target.host, "s3.us-east-2.amazonaws.com")
        XCTAssertEqual(target.path, "/mainnet.xtz-shots.io/rolling")
        let plain = try S3Endpoint(url: "http://localhost:9000", region: "us-east-1", pathStyle: false)
        XCTAssertEqual(plain.target(bucket: "a.b", key: "k").host, "a.b.localhost:9000")
    }
}

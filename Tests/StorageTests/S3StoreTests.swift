import Catalog
import Infrastructure
import Foundation
import Storage
import TestSupport
import XCTest

/// S3Store against moto on loopback with signature checking on, read back by boto3; faults come
/// from the proxy in between.
final class S3StoreTests: XCTestCase {
    override class func tearDown() { SuiteMoto.stop(self) }

    private static let fast = RetryPolicy(attempts: 4, baseDelay: 0.05, maximumDelay: 0.2, deadline: 30)

    private func store(_ moto: MotoServer, bucket: String, endpoint: String? = nil, secret: String? = nil,
                       log: @escaping @Sendable (String) -> Void = { _ in }) throws -> S3Store {
        let environment = ["AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": secret ?? moto.secretKey]
        let credentials = try XCTUnwrap(CredentialSource.resolve(profile: nil, folder: nil, region: moto.region, environment: environment))
        return S3Store(bucket: bucket, prefix: "", endpoint: try S3Endpoint(url: endpoint ?? moto.endpoint, region: moto.region),
                       credentials: credentials, retry: Self.fast, log: log)
    }

    private func head(_ moto: MotoServer, _ bucket: String, _ key: String) throws -> [String: Any] {
        try XCTUnwrap(moto.inspect(["head", bucket, key]) as? [String: Any])
    }

    /// Every operation publish uses is accepted with a correct signature, multipart included
    /// (`uploads`, `partNumber`, `uploadId` in the query), and what boto3 reads back is what was written.
    func testEveryOperationIsSignedAsS3Expects() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let bucket = try moto.freshBucket("bucket")
        let s3 = try store(moto, bucket: bucket)
        let headers = ObjectHeaders(contentType: "application/json", cacheControl: "no-cache", acl: .publicRead)
        guard case .written(let etag) = try s3.put("dir with space/base.json", Data("[]".utf8), headers: headers, condition: .ifAbsent) else {
            return XCTFail("the first conditional write must succeed")
        }
        XCTAssertEqual(try s3.put("dir with space/base.json", Data("[1]".utf8), headers: headers, condition: .ifAbsent), .conditionFailed)
        XCTAssertEqual(try s3.put("dir with space/base.json", Data("[1]".utf8), headers: headers, condition: .ifMatch("0" + etag.dropFirst())), .conditionFailed)
        guard case .written = try s3.put("dir with space/base.json", Data("[1]".utf8), headers: headers, condition: .ifMatch(etag)) else {
            return XCTFail("a write with the current ETag must succeed")
        }
        _ = try s3.put("rolling", Data(), headers: ObjectHeaders(cacheControl: "no-cache", websiteRedirect: "/a.lz4"), condition: .always)
        let read = try head(moto, bucket, "dir with space/base.json")
        XCTAssertEqual(read["ContentType"] as? String, "application/json")
        XCTAssertEqual(read["CacheControl"] as? String, "no-cache")
        XCTAssertEqual((try moto.inspect(["acl", bucket, "dir with space/base.json"]) as? [String: Any])?["public_read"] as? Bool, true)
        XCTAssertEqual(try head(moto, bucket, "rolling")["WebsiteRedirectLocation"] as? String, "/a.lz4")
        XCTAssertEqual(try s3.head("rolling")?.headers.websiteRedirect, "/a.lz4")
        XCTAssertEqual(String(decoding: try XCTUnwrap(s3.get("dir with space/base.json")).data, as: UTF8.self), "[1]")

        // 20 MiB streamed: three parts (8 + 8 + 4 MiB), completed, ETag and size confirmed.
        let bytes = Data((0..<(20 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        let upload = try s3.upload("big.lz4", headers: ObjectHeaders(), condition: .ifAbsent)
        for offset in stride(from: 0, to: bytes.count, by: 1_000_003) {
            try bytes[offset..<min(offset + 1_000_003, bytes.count)].withUnsafeBytes { try upload.write($0) }
        }
        guard case .written(let bigETag) = try upload.finish() else { return XCTFail("the upload must complete") }
        XCTAssertTrue(bigETag.hasSuffix("-3"), bigETag)
        let big = try head(moto, bucket, "big.lz4")
        XCTAssertEqual(big["ContentLength"] as? Int, bytes.count)
        let got = try XCTUnwrap(moto.inspect(["get", bucket, "big.lz4"]) as? [String: Any])
        XCTAssertEqual(got["sha256"] as? String, sha256Hex(bytes))
        XCTAssertEqual(try s3.list(prefix: "").map(\.key), ["big.lz4", "dir with space/base.json", "rolling"])
        XCTAssertEqual(try s3.list(prefix: "dir").map(\.key), ["dir with space/base.json"])
        try s3.delete("rolling")
        XCTAssertNil(try s3.head("rolling"))
        XCTAssertEqual(((try moto.inspect(["uploads", bucket]) as? [String: Any])?["uploads"] as? [Any])?.count, 0)
    }

    func testAWrongSecretIsRefusedAndNeverShown() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let bucket = try moto.freshBucket("bucket")
        let s3 = try store(moto, bucket: bucket, secret: "wrong-secret-value-0123456789")
        XCTAssertThrowsError(try s3.put("x", Data("x".utf8), headers: ObjectHeaders(), condition: .always)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("403"), text)
            XCTAssertFalse(text.contains("wrong-secret-value") || text.contains(moto.secretKey), text)
        }
    }

    /// Resets and 503s on chosen parts are retried; a part whose bytes are damaged on the way is
    /// detected (its ETag is not its MD5) and sent again; the object is whole.
    func testTransientFaultsAndDamagedPartsAreRetried() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let bucket = try moto.freshBucket("bucket")
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules("""
            [{"method": "PUT", "query": "partNumber=1&", "nth": [1], "action": "status", "status": 503},
             {"method": "PUT", "query": "partNumber=2&", "nth": [1], "action": "reset"},
             {"method": "PUT", "query": "partNumber=3&", "nth": [1], "action": "flip"}]
            """)
        let lines = LockedLines()
        let s3 = try store(moto, bucket: bucket, endpoint: proxy.endpoint, log: { lines.add($0) })
        let bytes = Data((0..<(20 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let upload = try s3.upload("faulty.lz4", headers: ObjectHeaders(), condition: .ifAbsent)
        try bytes.withUnsafeBytes { try upload.write($0) }
        guard case .written = try upload.finish() else { return XCTFail("the upload must complete") }
        let got = try XCTUnwrap(moto.inspect(["get", bucket, "faulty.lz4"]) as? [String: Any])
        XCTAssertEqual(got["sha256"] as? String, sha256Hex(bytes), "the stored object is the one sent, damage and all retried")
        let parts = try proxy.log().filter { ($0["method"] as? String) == "PUT" && (($0["query"] as? String) ?? "").contains("partNumber=") }
        XCTAssertEqual(parts.count, 6, "each faulty part sent twice: \(parts)")
        XCTAssertTrue(lines.all.contains { $0.contains("damaged") }, lines.all.joined(separator: "\n"))
    }

    /// A part that never gets through: the upload fails, and is aborted, so no parts stay billed.
    func testAnUploadThatCannotFinishIsAborted() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let bucket = try moto.freshBucket("bucket")
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules(#"[{"method": "PUT", "query": "partNumber=2&", "action": "reset"}]"#)
        let s3 = try store(moto, bucket: bucket, endpoint: proxy.endpoint)
        let upload = try s3.upload("never.lz4", headers: ObjectHeaders(), condition: .ifAbsent)
        let bytes = Data(repeating: 1, count: 20 << 20)
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try upload.write($0); _ = try upload.finish() }) { error in
            XCTAssertTrue("\(error)".contains("never.lz4"), "\(error)")
        }
        XCTAssertEqual(((try moto.inspect(["uploads", bucket]) as? [String: Any])?["uploads"] as? [Any])?.count, 0, "aborted")
        XCTAssertEqual((try head(moto, bucket, "never.lz4"))["missing"] as? Bool, true)
    }

    /// What a pod's service-account role gives: STS AssumeRoleWithWebIdentity (unsigned, the token
    /// is the proof), answered with a temporary key, its session token and its expiry.
    func testWebIdentityCredentialsFromSTS() throws {
        let moto = try MotoServer(checksSignatures: false)
        let folder = try TemporaryFolder()
        let token = try folder.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln")
        let environment = ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/snapshot-engine", "AWS_WEB_IDENTITY_TOKEN_FILE": token,
                           "AWS_ENDPOINT_URL_STS": moto.endpoint]
        let source = try XCTUnwrap(CredentialSource.resolve(profile: nil, folder: nil, region: moto.region, environment: environment))
        let credentials = try source.current()
        XCTAssertNotNil(credentials.sessionToken)
        XCTAssertNotNil(credentials.expiration, "temporary credentials carry their expiry, to be fetched again before it")
        XCTAssertNotEqual(credentials.accessKeyID, moto.accessKey)
    }
}

func sha256Hex(_ data: Data) -> String {
    String(try! runTool(["sha256sum"], input: data).stdout.prefix(64))
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

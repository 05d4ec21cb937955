import Foundation
import TestSupport
import XCTest

/// The test harness itself: moto really checks signatures, and the fault proxy really injects
/// the faults its rules name and records what it did.
final class HarnessTests: XCTestCase {
    override class func tearDown() { SuiteMoto.stop(self) }

    private let text = "hello, moto\n"
    private let textMD5 = "5f46e10231b33df920a7bfd57db4ccc7"
    private let textSHA256 = "82b99e396a4145061a2ccf86897240a762f98e34ef33926c59e4cec269abefa2"

    func testMotoStoresWithTheCreatedKeyAndRefusesAWrongSecret() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let folder = try TemporaryFolder()
        let file = try folder.write("hello.txt", text)

        let put = try XCTUnwrap(try moto.inspect(["put", harness, "hello.txt", file]) as? [String: Any])
        XCTAssertEqual(put["ETag"] as? String, "\"\(textMD5)\"")
        let got = try XCTUnwrap(try moto.inspect(["get", harness, "hello.txt"]) as? [String: Any])
        XCTAssertEqual(got["text"] as? String, text)
        XCTAssertEqual(got["sha256"] as? String, textSHA256)

        let refused = try moto.runInspect(["get", harness, "hello.txt"], secretKey: "not-the-secret")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        let error = try XCTUnwrap(parsed(refused.stdout)["error"] as? [String: Any], refused.stdout)
        XCTAssertEqual(error["code"] as? String, "SignatureDoesNotMatch")
        XCTAssertEqual(error["status"] as? Int, 403)
    }

    func testA503RuleAnswersTheFirstPutAndTheSecondReachesMoto() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules(#"[{"method": "PUT", "nth": [1], "action": "status", "status": 503}]"#)
        let folder = try TemporaryFolder()
        let file = try folder.write("hello.txt", text)

        let first = try curl(moto, ["-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"])
        XCTAssertEqual(first.stdout, "503", first.stderr)
        XCTAssertEqual(try moto.inspect(["head", harness, "hello.txt"]) as? [String: Bool], ["missing": true])
        let second = try curl(moto, ["-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"])
        XCTAssertEqual(second.stdout, "200", second.stderr)
        let head = try XCTUnwrap(try moto.inspect(["head", harness, "hello.txt"]) as? [String: Any])
        XCTAssertEqual(head["ETag"] as? String, "\"\(textMD5)\"")

        let log = try proxy.log()
        XCTAssertEqual(log.map { "\($0["method"]!) \($0["path"]!) \($0["status"]!) \($0["action"]!)" },
                       ["PUT /\(harness)/hello.txt 503 status", "PUT /\(harness)/hello.txt 200 <null>"])
        XCTAssertEqual(log.first.flatMap { ($0["headers"] as? [String: String])?["authorization"] }, "(redacted)")
    }

    func testStripHeaderRemovesIfMatchBeforeMotoSeesIt() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        let folder = try TemporaryFolder()
        let file = try folder.write("hello.txt", text)
        XCTAssertEqual(try curl(moto, ["-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"]).stdout, "200")
        let stale = ["-H", #"If-Match: "00000000000000000000000000000000""#, "-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"]

        // Without the rule moto sees the stale If-Match and refuses the write.
        XCTAssertEqual(try curl(moto, stale).stdout, "412")
        try proxy.setRules(#"[{"method": "PUT", "action": "strip-header", "header": "If-Match"}]"#)
        // With it moto never sees the header. curl signs every header it is given, so moto now
        // finds the signature wrong (403) instead of the precondition (412).
        XCTAssertEqual(try curl(moto, stale).stdout, "403")

        let log = try proxy.log()
        guard log.count == 3 else { return XCTFail("expected 3 requests in the log, got \(log)") }
        let kept = try XCTUnwrap(log[1]["headers"] as? [String: String])
        XCTAssertEqual(kept["if-match"], #""00000000000000000000000000000000""#)
        let stripped = try XCTUnwrap(log[2]["headers"] as? [String: String])
        XCTAssertNil(stripped["if-match"])
        XCTAssertEqual(log[2]["action"] as? String, "strip-header")
        XCTAssertEqual(log[2]["status"] as? Int, 403)
    }

    func testResetMakesCurlFailWithAConnectionError() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        let folder = try TemporaryFolder()
        let file = try folder.write("hello.txt", text)
        XCTAssertEqual(try curl(moto, ["-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"]).stdout, "200")
        try proxy.setRules(#"[{"method": "GET", "nth": [1], "action": "reset"}]"#)

        let reset = try curl(moto, ["\(proxy.endpoint)/\(harness)/hello.txt"])
        XCTAssertEqual(reset.status, 56, "curl's 'Recv failure' exit status; stderr: \(reset.stderr)")
        XCTAssertTrue(reset.stderr.contains("Connection reset by peer"), reset.stderr)
        XCTAssertEqual(try curl(moto, ["\(proxy.endpoint)/\(harness)/hello.txt"]).stdout, "200")
        XCTAssertEqual(try proxy.log().map { $0["action"] as? String }, [nil, "reset", nil])
    }

    func testFlipDamagesTheBodyMotoStores() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules(#"[{"method": "PUT", "action": "flip", "offset": 0}]"#)
        let folder = try TemporaryFolder()
        let file = try folder.write("hello.txt", text)

        // moto checks neither Content-MD5 nor x-amz-content-sha256 against the body: it stores the damage.
        XCTAssertEqual(try curl(moto, ["-T", file, "\(proxy.endpoint)/\(harness)/hello.txt"]).stdout, "200")
        let got = try XCTUnwrap(try moto.inspect(["get", harness, "hello.txt"]) as? [String: Any])
        XCTAssertEqual(got["size"] as? Int, text.utf8.count)
        XCTAssertNotEqual(got["sha256"] as? String, textSHA256)
        XCTAssertEqual(got["base64"] as? String, Data([UInt8(ascii: "h") ^ 0xFF] + Array(text.utf8.dropFirst())).base64EncodedString())
    }

    func testGoneClosesEveryLaterConnectionEvenAfterTheRulesAreCleared() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        try proxy.setRules(#"[{"action": "gone"}]"#)

        let gone = try curl(moto, ["\(proxy.endpoint)/\(harness)/hello.txt"])
        XCTAssertEqual(gone.stdout, "000", gone.stderr)
        try proxy.setRules("[]")
        let after = try curl(moto, ["\(proxy.endpoint)/\(harness)/hello.txt"])
        XCTAssertNotEqual(after.status, 0, after.stdout)
        XCTAssertEqual(after.stdout, "000", after.stderr)
        XCTAssertEqual(try proxy.log().map { $0["action"] as? String }, ["gone"])
    }

    /// curl signing for moto; its stdout is the HTTP status (000 when there was no answer).
    /// moto takes the payload hash from x-amz-content-sha256 when present and would otherwise hash
    /// the body itself, which curl 7.88's signature does not match.
    private func curl(_ moto: MotoServer, _ arguments: [String]) throws -> ProgramRun {
        try runTool(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--aws-sigv4", "aws:amz:\(moto.region):s3",
                     "--user", "\(moto.accessKey):\(moto.secretKey)", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"] + arguments)
    }

    private func parsed(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
    }
}

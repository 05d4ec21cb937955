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

    func testCutResponseGivesTheClientExactlyOffsetBodyBytesThenClosesTheConnection() throws {
        let served = try TemporaryFolder()
        let body = patterned(100_000)
        try body.write(to: URL(fileURLWithPath: served.subpath("artifact.bin")))
        let server = try StaticHTTPServer(folder: served.path)
        let proxy = try FaultProxy(targetPort: try port(of: server))
        try proxy.setRules(#"""
            [{"path": "artifact", "nth": [1], "action": "cut-response", "offset": 1000},
             {"path": "artifact", "nth": [2], "action": "cut-response"}]
            """#)
        let folder = try TemporaryFolder()
        let output = folder.subpath("out")
        let get = ["curl", "-sS", "-o", output, "-w", "%{http_code}", "\(proxy.endpoint)/artifact.bin"]

        let cut = try runTool(get)
        XCTAssertEqual(cut.status, 18, "curl's 'Partial file' exit status; stderr: \(cut.stderr)")
        XCTAssertEqual(cut.stdout, "200", cut.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body.prefix(1000))
        let half = try runTool(get)
        XCTAssertEqual(half.status, 18, half.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body.prefix(50_000), "the default offset: half")
        let whole = try runTool(get)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body)

        let log = try proxy.log()
        XCTAssertEqual(log.map { $0["action"] as? String }, ["cut-response", "cut-response", nil])
        XCTAssertEqual(log.map { $0["response_bytes"] as? Int }, [1000, 50_000, nil])
        XCTAssertEqual(log.map { $0["status"] as? Int }, [200, 200, 200])
    }

    func testRangeRequestsPassThroughAndCutResponseCutsAPartialAnswer() throws {
        let moto = try SuiteMoto.server(for: Self.self)
        let harness = try moto.freshBucket("harness")
        let proxy = try FaultProxy(for: moto)
        let folder = try TemporaryFolder()
        let body = patterned(100_000)
        let file = folder.subpath("artifact.bin")
        try body.write(to: URL(fileURLWithPath: file))
        let url = "\(proxy.endpoint)/\(harness)/artifact.bin"
        XCTAssertEqual(try curl(moto, ["-T", file, url]).stdout, "200")
        let output = folder.subpath("out")

        // No rule matches the range request: moto answers 206 with just those bytes.
        try proxy.setRules(#"[{"method": "PUT", "action": "cut-response"}]"#)
        let range = try curl(moto, ["-o", output, "-H", "Range: bytes=1000-8999", url], discard: false)
        XCTAssertEqual(range.status, 0, range.stderr)
        XCTAssertEqual(range.stdout, "206", range.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body[1000..<9000])

        try proxy.setRules(#"[{"method": "GET", "action": "cut-response", "offset": 100}]"#)
        let cut = try curl(moto, ["-o", output, "-H", "Range: bytes=1000-8999", url], discard: false)
        XCTAssertEqual(cut.status, 18, cut.stderr)
        XCTAssertEqual(cut.stdout, "206", cut.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body[1000..<1100])

        let log = try proxy.log()
        XCTAssertEqual(log.map { $0["action"] as? String }, [nil, nil, "cut-response"])
        XCTAssertEqual(log.map { $0["status"] as? Int }, [200, 206, 206])
        XCTAssertEqual(log.last?["response_bytes"] as? Int, 100)
        XCTAssertEqual((log.last?["headers"] as? [String: String])?["range"], "bytes=1000-8999")
    }

    func testThrottlePacesTheResponseBody() throws {
        let served = try TemporaryFolder()
        let body = patterned(4_000_000)
        try body.write(to: URL(fileURLWithPath: served.subpath("artifact.bin")))
        let server = try StaticHTTPServer(folder: served.path)
        let proxy = try FaultProxy(targetPort: try port(of: server))
        try proxy.setRules(#"[{"path": "artifact", "action": "throttle", "rate": 2000000}]"#)
        let folder = try TemporaryFolder()
        let output = folder.subpath("out")

        let started = Date()
        let run = try runTool(["curl", "-sS", "-o", output, "-w", "%{http_code}", "\(proxy.endpoint)/artifact.bin"])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body)
        XCTAssertTrue((1.6...3.0).contains(seconds), "4 MB at 2 MB/s took \(seconds) s")
        let log = try proxy.log()
        XCTAssertEqual(log.map { $0["action"] as? String }, ["throttle"])
        XCTAssertEqual(log.first?["rate"] as? Int, 2_000_000)
    }

    /// `--rate` (which FaultProxy does not pass, so the script is started here) caps each
    /// connection on its own: four parallel downloads take as long as one.
    func testTheRateOptionThrottlesEachConnectionThatNoRuleActsOn() throws {
        let served = try TemporaryFolder()
        let body = patterned(1_000_000)
        try body.write(to: URL(fileURLWithPath: served.subpath("artifact.bin")))
        let server = try StaticHTTPServer(folder: served.path)
        let folder = try TemporaryFolder()
        try folder.write("rules.json", #"[{"path": "cut", "action": "cut-response", "offset": 10}]"#)
        let script = PackageRoot.file("Tests/StorageTests/fault_proxy.py")
        let (portFile, rules, log) = (folder.subpath("port"), folder.subpath("rules.json"), folder.subpath("log.jsonl"))
        // The script writes its port to a file; ListeningProcess wants it as the first line printed.
        let proxy = try ListeningProcess(announcingPort: ["sh", "-c", """
            python3 "$0" --target 127.0.0.1:\(try port(of: server)) --port-file "$1" --rules "$2" --log "$3" --rate 2000000 &
            while [ ! -s "$1" ] && kill -0 $! 2>/dev/null; do sleep 0.05; done
            cat "$1"; echo; wait
            """, script, portFile, rules, log])
        defer { proxy.stop() }
        let outputs = (1...4).map { folder.subpath("out\($0)") }

        let started = Date()
        let run = try runTool(["curl", "-sS", "--parallel", "--parallel-immediate", "--parallel-max", "4"]
                              + outputs.flatMap { ["-o", $0, "\(proxy.origin)/artifact.bin"] })
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(run.status, 0, run.stderr)
        for output in outputs { XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), body) }
        XCTAssertTrue((0.4...0.9).contains(seconds), "4 × 1 MB at 2 MB/s each took \(seconds) s")
        // A rule that acts on the response wins over --rate.
        let cut = try runTool(["curl", "-sS", "-o", outputs[0], "\(proxy.origin)/cut/artifact.bin"])
        XCTAssertEqual(cut.status, 18, cut.stderr)

        let entries = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(entries.map { $0["rate"] as? Int }, [2_000_000, 2_000_000, 2_000_000, 2_000_000, nil], proxy.output)
        XCTAssertEqual(entries.map { $0["action"] as? String }, [nil, nil, nil, nil, "cut-response"])
    }

    /// curl signing for moto; its stdout is the HTTP status (000 when there was no answer).
    /// moto takes the payload hash from x-amz-content-sha256 when present and would otherwise hash
    /// the body itself, which curl 7.88's signature does not match.
    /// With `discard: false` the arguments say where the body goes (`-o FILE`).
    private func curl(_ moto: MotoServer, _ arguments: [String], discard: Bool = true) throws -> ProgramRun {
        try runTool(["curl", "-sS"] + (discard ? ["-o", "/dev/null"] : []) + ["-w", "%{http_code}", "--aws-sigv4", "aws:amz:\(moto.region):s3",
                     "--user", "\(moto.accessKey):\(moto.secretKey)", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"] + arguments)
    }

    /// `count` bytes that differ from their neighbours, so a slice in the wrong place shows.
    private func patterned(_ count: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })
    }

    private func port(of server: StaticHTTPServer) throws -> Int {
        try XCTUnwrap(server.origin.split(separator: ":").last.flatMap { Int($0) }, server.origin)
    }

    private func parsed(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
    }
}

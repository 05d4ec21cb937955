import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots daemon` against the node RPC stand-in, whose head the test moves one block at a time and
/// waits for the daemon to have seen: no test here depends on timing.
final class DaemonCommandTests: XCTestCase {
    /// A daemon, its node stand-in and its schedule, in one folder.
    private final class Setup {
        let folder: TemporaryFolder
        let node: ListeningProcess
        var daemon: ListeningProcess?
        var schedule: String { folder.subpath("schedule.json") }
        /// The daemon's --confirmations: the stand-in's head is moved this far above the final
        /// block the test names.
        var confirmations = 2
        /// With `.polkadot` the daemon reads the stand-in's Substrate JSON-RPC, whose finalized
        /// head trails its best block by `confirmations` as well (the stand-in's --finality-lag).
        var family = ChainFamily.tezos
        var jobLog: String { folder.subpath("jobs.log") }

        init() throws {
            folder = try TemporaryFolder()
            try Self.writeHead(in: folder, level: 97, age: 0)  // final block 95 under the default 2 confirmations
            node = try ListeningProcess(announcingPort: ["python3", Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/node-rpc-stand-in.py").path,
                                                         "--head-file", folder.subpath("head.json")])
        }

        /// The node's head at `level`, its block `age` seconds old.
        /// Moves the node so that its final block (head~confirmations) is `level`.
        /// `finalAge`: the blocks below the head are that old (the head itself `age`).
        func moveHead(to level: Int, age: TimeInterval = 0, finalAge: TimeInterval? = nil) throws {
            try Self.writeHead(in: folder, level: level + confirmations, age: age, finalAge: finalAge)
        }

        static func writeHead(in folder: TemporaryFolder, level: Int, age: TimeInterval, finalAge: TimeInterval? = nil) throws {
            func time(_ age: TimeInterval) -> String { BlockTimestamp.format(secondsSince1970: UInt64(Date().timeIntervalSince1970 - age)) }
            let digits = String(String(level).map { $0 == "0" ? "z" : $0 })  // base58 has no 0
            let hash = "B" + String(repeating: "K", count: 50 - digits.count) + digits
            let below = finalAge.map { #", "below_timestamp": "\#(time($0))""# } ?? ""
            try Data(#"{"level": \#(level), "hash": "\#(hash)", "timestamp": "\#(time(age))"\#(below)}"#.utf8)
                .write(to: URL(fileURLWithPath: folder.subpath("head.json")), options: .atomic)
        }

        func startDaemon(_ extra: [String] = []) throws {
            let port = try freeLoopbackPort()
            let job = #"echo "$SHOTS_REQUESTED_HEIGHT $SHOTS_HEAD_LEVEL $SHOTS_REQUEST_IDS" >> \#(jobLog); printf '{"artifact": "snap-%s", "captured_block_num": %s}' "$SHOTS_REQUESTED_HEIGHT" "$SHOTS_HEAD_LEVEL" > "$SHOTS_JOB_REPORT""#
            let finality = family == .tezos ? ["--confirmations", String(confirmations)] : ["--family", "polkadot"]
            daemon = try ListeningProcess([Shots.binary.path, "daemon", "--rpc", node.origin, "--job", job, "--poll", "0.02s", "--max-block-age", "1h"]
                                          + finality + ["--schedule", schedule, "--listen", "127.0.0.1:\(port)"] + extra, port: port)
        }

        func jobs() -> [String] {
            ((try? String(contentsOfFile: jobLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// Waits until the daemon reports `level` as its head, no job running, and `jobs` jobs run.
        func waitFor(level: Int, jobs count: Int) throws {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let health = try? api("GET", "/health"), health.json["head_block_num"] == .integer(Int64(level)),
                   health.json["job_running"] == .bool(false), jobs().count == count { return }
                usleep(10_000)
            }
            throw HarnessError("the daemon did not reach head \(level) with \(count) jobs: \(jobs()) \(daemon?.output ?? "")")
        }

        func api(_ method: String, _ path: String, _ body: String? = nil, headers: [String] = []) throws -> (status: Int, json: JSONValue) {
            guard let daemon else { throw HarnessError("no daemon") }
            let run = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-X", method, "-w", "\n%{http_code}"]
                                     + headers.flatMap { ["-H", $0] } + (body.map { ["--data-binary", $0] } ?? []) + [daemon.origin + path])
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.last ?? "") ?? 0
            return (status, (try? JSONParser.parse(Data(lines.dropLast().joined(separator: "\n").utf8))) ?? .null)
        }
    }

    /// Every 10 blocks from 100 to 150, and once at 120: snapshots at exactly 100, 110, ..., 150,
    /// the one at 120 shared by both requests; the daemon killed at 125 and started again goes on
    /// with neither duplicates nor gaps.
    func testScheduledHeightsEachOnceAcrossACrash() throws {
        let setup = try Setup()
        XCTAssertEqual(try Shots.run(["schedule", "add", "--every", "10", "--start", "100", "--end", "150", "--schedule", setup.schedule]).status, 0)
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "120", "--schedule", setup.schedule]).status, 0)
        try setup.startDaemon()
        for level in 95...160 {
            try setup.moveHead(to: level)
            try setup.waitFor(level: level, jobs: [100, 110, 120, 130, 140, 150].filter { $0 <= level }.count)
            if level == 125 {
                kill(setup.daemon!.pid, SIGKILL)
                setup.daemon!.stop()
                try setup.startDaemon()
            }
        }
        XCTAssertEqual(setup.jobs().map { $0.split(separator: " ").first.map(String.init) ?? "" }, ["100", "110", "120", "130", "140", "150"])
        XCTAssertTrue(setup.jobs().contains("120 120 0,1"), "one snapshot for both requests: \(setup.jobs())")

        let once = try setup.api("POST", "/v1/producer/get_snapshot_request_status", #"{"snapshot_request_id": 1}"#)
        XCTAssertEqual(once.status, 200)
        XCTAssertEqual(once.json["finished"], .bool(true), "\(once.json)")
        guard case .array(let snapshots)? = once.json["snapshots"], let first = snapshots.first else { return XCTFail("\(once.json)") }
        XCTAssertEqual(first["snapshot_name"], .string("snap-120"))
        XCTAssertEqual(first["state"], .string("done"))
        XCTAssertEqual(first["captured_block_num"], .integer(120))
        let list = try Shots.run(["schedule", "list", "--schedule", setup.schedule])
        XCTAssertEqual(list.stdout, "", "both requests finished and left the schedule")

        // Prometheus text from the daemon started again at 125: three jobs, the newest at 150.
        let metrics = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", setup.daemon!.origin + "/metrics"]).stdout
        for line in [#"shots_daemon_jobs_total{outcome="done"} 3"#, #"shots_daemon_newest_snapshot_block_height{network="unknown"} 150.0"#, "shots_daemon_head_block_height 160.0",
                     "# TYPE shots_daemon_job_duration_seconds histogram"] {
            XCTAssertTrue(metrics.contains(line), "\(line) ∉ \(metrics)")
        }
    }

    /// A Substrate node (`--family polkadot`) is followed by its finalized head, through its
    /// JSON-RPC: jobs at exactly the scheduled heights, with the finalized block's hash, and a
    /// stale best block refused by the freshness gate.
    func testASubstrateNodeIsFollowedByItsFinalizedHead() throws {
        let setup = try Setup()
        setup.family = .polkadot
        XCTAssertEqual(try Shots.run(["schedule", "add", "--every", "10", "--start", "100", "--end", "130", "--schedule", setup.schedule]).status, 0)
        try setup.startDaemon()
        for level in 95...121 {
            try setup.moveHead(to: level)
            try setup.waitFor(level: level, jobs: [100, 110, 120].filter { $0 <= level }.count)
        }
        XCTAssertEqual(setup.jobs(), ["100 100 0", "110 110 0", "120 120 0"])
        let health = try setup.api("GET", "/health")
        let finalizedHash = "0x" + (try shell("printf 121 | sha256sum").stdout.prefix(64))
        XCTAssertEqual(health.json["head_block_id"], .string(finalizedHash), "the finalized block, not the best one: \(health.json)")

        try setup.moveHead(to: 130, age: 7200)
        try setup.waitFor(level: 130, jobs: 3)
        usleep(200_000)
        XCTAssertEqual(setup.jobs().count, 3)
        XCTAssertTrue(setup.daemon!.output.contains("refused the job for block 130"), setup.daemon!.output)

        let confirmations = try Shots.run(["daemon", "--rpc", setup.node.origin, "--job", "true", "--family", "polkadot", "--confirmations", "3",
                                           "--schedule", setup.schedule])
        XCTAssertEqual(confirmations.status, 1)
        XCTAssertTrue(confirmations.stderr.contains("--confirmations: a Substrate node's finalized head is final already"), confirmations.stderr)
    }

    /// With nothing scheduled and --min-interval, the job runs at once, then not again within the
    /// interval however far the head moves; a scheduled height still runs on time.
    func testContinuousModeKeepsItsMinimumInterval() throws {
        let setup = try Setup()
        try setup.startDaemon(["--min-interval", "1h"])
        try setup.waitFor(level: 95, jobs: 1)
        for level in 96...110 {
            try setup.moveHead(to: level)
            try setup.waitFor(level: level, jobs: 1)
        }
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "112", "--schedule", setup.schedule]).status, 0)
        for level in 111...113 {
            try setup.moveHead(to: level)
            try setup.waitFor(level: level, jobs: level >= 112 ? 2 : 1)
        }
        XCTAssertEqual(setup.jobs(), ["95 95 ", "112 112 0"])
    }

    /// A node whose newest block is too old gets no job, said once with both times; once it is in
    /// sync again the job runs.
    func testAStaleNodeIsRefused() throws {
        let setup = try Setup()
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "100", "--schedule", setup.schedule]).status, 0)
        try setup.startDaemon()
        try setup.moveHead(to: 100, age: 7200)
        try setup.waitFor(level: 100, jobs: 0)
        usleep(200_000)  // several polls at the stale head
        XCTAssertEqual(setup.jobs(), [])
        let refusals = setup.daemon!.output.components(separatedBy: "refused the job for block 100").count - 1
        XCTAssertEqual(refusals, 1, setup.daemon!.output)
        XCTAssertTrue(setup.daemon!.output.contains("older than the 3600 s allowed (--max-block-age)"), setup.daemon!.output)
        try setup.moveHead(to: 101)
        try setup.waitFor(level: 101, jobs: 1)
        // At head 100 or 101: the poll may read the final block before the node caught up and its
        // newest block after.
        XCTAssertEqual(setup.jobs().map { $0.split(separator: " ").first.map(String.init) }, ["100"])

        // The node's sync is judged by its head: a final block older than the limit, below a fresh
        // head, is no reason to refuse.
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "110", "--schedule", setup.schedule]).status, 0)
        try setup.moveHead(to: 110, age: 0, finalAge: 7200)
        try setup.waitFor(level: 110, jobs: 2)
        XCTAssertEqual(setup.jobs().last?.split(separator: " ").first, "110")
    }

    /// `shots publish --max-block-age` (the job's own gate): from a node out of sync nothing is
    /// published; in sync, the run checks again before its permalinks move and publishes.
    func testPublishRefusesANodeOutOfSync() throws {
        let setup = try Setup()
        setup.confirmations = 0  // publish reads the head itself
        let data = try TezosDataDir(in: setup.folder)
        let stores = FolderStores(root: setup.folder.subpath("stores"))
        func publish() throws -> ProgramRun {
            try stores.publish(data.root, ["--profile", "tezos-rolling", "--network", "mainnet", "--rpc", setup.node.origin, "--max-block-age", "10m"])
        }
        try setup.moveHead(to: 5_000_000, age: 3600)
        let stale = try publish()
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("older than the 600 s allowed (--max-block-age): the node is not in sync"), stale.stderr)
        let written = (FileManager.default.enumerator(atPath: stores.root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".lz4") || $0.hasSuffix(".json") }
        XCTAssertEqual(written, [], "nothing published")
        try setup.moveHead(to: 5_000_000)
        let fresh = try publish()
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stdout.contains("Check the node is in sync"), fresh.stdout)
        XCTAssertEqual(try stores.redirect("rolling-tarball"), "/tezos-mainnet-rolling-tarball-5000000.lz4")
    }

    /// The daemon running the real Job, `shots publish --rpc`: the snapshot records what publish
    /// reported (the artifact, the block it captured) and /metrics the network's newest height
    /// and the bytes uploaded.
    func testADaemonRunningShotsPublishRecordsWhatItPublished() throws {
        let setup = try Setup()
        setup.confirmations = 0  // publish reads the head itself: the same block
        let data = try TezosDataDir(in: setup.folder)
        let stores = setup.folder.subpath("stores")
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "5000000", "--schedule", setup.schedule]).status, 0)
        let job = [Shots.binary.path, "publish", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--rpc", setup.node.origin,
                   "--max-block-age", "10m", "--site", FolderStores.site, "--store", stores + "/{network}", "--site-store", stores + "/site",
                   "--unsigned", "-q"].map { "'\($0)'" }.joined(separator: " ")
        let port = try freeLoopbackPort()
        try setup.moveHead(to: 4_999_999)
        setup.daemon = try ListeningProcess([Shots.binary.path, "daemon", "--rpc", setup.node.origin, "--job", "exec " + job, "--poll", "0.02s",
                                             "--confirmations", "0", "--schedule", setup.schedule, "--listen", "127.0.0.1:\(port)"], port: port)
        try setup.moveHead(to: 5_000_000)
        let deadline = Date().addingTimeInterval(60)
        var status: JSONValue = .null
        while Date() < deadline {
            status = try setup.api("POST", "/v1/producer/get_snapshot_request_status", #"{"snapshot_request_id": 0}"#).json
            if case .array(let snapshots)? = status["snapshots"], let first = snapshots.first, first["state"] != .string("pending") { break }
            usleep(50_000)
        }
        guard case .array(let snapshots)? = status["snapshots"], let snapshot = snapshots.first else { return XCTFail("\(status) \(setup.daemon!.output)") }
        let artifact = "tezos-mainnet-rolling-tarball-5000000.lz4"
        XCTAssertEqual(snapshot["state"], .string("done"), "\(snapshot) \(setup.daemon!.output)")
        XCTAssertEqual(snapshot["snapshot_name"], .string(artifact))
        XCTAssertEqual(snapshot["captured_block_num"], .integer(5_000_000))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stores + "/mainnet/" + artifact))

        let metrics = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", setup.daemon!.origin + "/metrics"]).stdout
        XCTAssertTrue(metrics.contains(#"shots_daemon_newest_snapshot_block_height{network="mainnet"} 5000000.0"#), metrics)
        let uploaded = metrics.split(separator: "\n").first { $0.hasPrefix(#"shots_daemon_uploaded_bytes_total{network="mainnet"} "#) }
        let bytes = uploaded.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        let artifactBytes = try FileManager.default.attributesOfItem(atPath: stores + "/mainnet/" + artifact)[.size] as! Int
        XCTAssertGreaterThan(bytes, artifactBytes, "the artifact and the rest publish wrote: \(metrics)")
    }

    /// The API against its own OpenAPI document (served at /v1/openapi.json), by schemathesis:
    /// every answer's status, type and body as documented, every schema-violating request refused,
    /// undeclared methods answered 405 with Allow. Left out: schemathesis's "a schema-valid request
    /// is accepted", since the design answers 400 for a duplicate or an unknown id, which no
    /// schema can tell.
    func testTheAPIKeepsToItsOpenAPIDocument() throws {
        let setup = try Setup()
        try setup.startDaemon()
        let run = try runTool(["schemathesis", "run", setup.daemon!.origin + "/v1/openapi.json", "--url", setup.daemon!.origin,
                               "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--seed", "19", "--max-examples", "60"],
                              environment: ["NO_COLOR": "1"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("Tested: 5"), run.stdout)
    }

    /// The design's examples replayed give its answers (with the `*_num` names and 201); bad
    /// requests get 400 with a message and change nothing; off loopback a token is required.
    func testTheSchedulingAPI() throws {
        let setup = try Setup()
        try setup.startDaemon(["--token", "s3cret"])
        let auth = ["Authorization: Bearer s3cret"]
        XCTAssertEqual(try setup.api("POST", "/v1/producer/schedule_snapshot").status, 401, "no token, no change")

        let now = try setup.api("POST", "/v1/producer/schedule_snapshot", headers: auth)
        XCTAssertEqual(now.status, 201)
        XCTAssertEqual(now.json, try JSONParser.parse(Data(#"{"snapshot_request_id": 0, "block_spacing": 0, "snapshot_description": ""}"#.utf8)))
        let recurring = try setup.api("POST", "/v1/producer/schedule_snapshot",
                                      #"{"block_spacing": "100", "start_block_number": 5000, "end_block": "6000", "snapshot_description": "Example of recurring snapshot"}"#,
                                      headers: auth)
        XCTAssertEqual(recurring.status, 201)
        XCTAssertEqual(recurring.json, try JSONParser.parse(Data(#"{"snapshot_request_id": 1, "block_spacing": 100, "start_block_num": 5000, "end_block_num": 6000, "snapshot_description": "Example of recurring snapshot"}"#.utf8)))

        // "Now" ran at the head the daemon saw (95) and left the schedule; its snapshot stays listed.
        try setup.waitFor(level: 95, jobs: 1)
        let done = try setup.api("POST", "/v1/producer/get_snapshot_request_status", #"{"snapshot_request_id": 0}"#, headers: auth)
        XCTAssertEqual(done.json["finished"], .bool(true), "\(done.json)")
        XCTAssertEqual(setup.jobs(), ["95 95 0"])
        XCTAssertEqual(try setup.api("POST", "/v1/producer/schedule_snapshot", #"{"block_spacing": 7, "start_block_num": "7000"}"#, headers: auth).status, 201)
        let page = try setup.api("POST", "/v1/producer/get_snapshot_requests", #"{"start_snapshot_request_id": 0, "limit": 1}"#, headers: auth)
        XCTAssertEqual(page.json["next_request_id"], .integer(2), "\(page.json)")
        let status = try setup.api("POST", "/v1/producer/get_snapshot_request_status", #"{"snapshot_request_id": 1}"#, headers: auth)
        XCTAssertEqual(status.json["pending_snapshots"], .array([]))
        XCTAssertEqual(status.json["start_block_num"], .integer(5000))

        let bad: [(String, String, String)] = [
            ("schedule_snapshot", #"{"block_spacing": true}"#, "block_spacing: expected a block number"),
            ("schedule_snapshot", #"{"start_block_num": -5}"#, "start_block_num: expected a block number (0 or more"),
            ("schedule_snapshot", #"{"block_spacing": 10, "start_block_num": 200, "end_block_num": 100}"#, "end_block_num: 100 is before start_block_num 200"),
            ("schedule_snapshot", #"{"block_spacing": "100", "start_block_num": 5000, "end_block_num": 6000}"#, "duplicate of request 1"),
            ("schedule_snapshot", "[1]", "expected a JSON object"),
            ("schedule_snapshot", "{" + String(repeating: " ", count: 100_000) + "}", "larger than 64 KiB"),
            ("get_snapshot_request_status", #"{"snapshot_request_id": 42}"#, "no request 42"),
            ("unschedule_snapshot", #"{}"#, "snapshot_request_id: missing"),
        ]
        for (endpoint, body, expected) in bad {
            let answer = try setup.api("POST", "/v1/producer/" + endpoint, body, headers: auth)
            XCTAssertEqual(answer.status, 400, body)
            guard case .string(let what)? = answer.json["error"]?["what"] else { XCTFail("no error.what: \(answer.json)"); continue }
            XCTAssertTrue(what.contains(expected), "\(what) ∌ \(expected)")
        }
        XCTAssertEqual(try setup.api("POST", "/v1/producer/unschedule_snapshot", #"{"snapshot_request_id": 1}"#, headers: auth).status, 200)
        XCTAssertEqual(try setup.api("POST", "/v1/producer/unschedule_snapshot", #"{"snapshot_request_id": 1}"#, headers: auth).status, 400)
        let left = try Shots.run(["schedule", "list", "--schedule", setup.schedule])
        XCTAssertEqual(left.stdout, "request 2: every 7 blocks from block 7000 until cancelled, next at 7000\n")

        let open = try Shots.run(["daemon", "--rpc", setup.node.origin, "--job", "true", "--listen", "0.0.0.0:0", "--schedule", setup.schedule])
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("is not loopback: give --token"), open.stderr)
    }

    /// Without a token, what a web page could send the loopback API is refused: a request with an
    /// Origin (fetch, a form), a cross-site GET (an image), a Host that is not loopback (DNS
    /// rebinding). Nothing is scheduled; curl, which sends none of these, still is.
    func testWebPagesCannotChangeTheSchedule() throws {
        let setup = try Setup()
        try setup.startDaemon()
        let port = setup.daemon!.port
        let refused: [(String, [String])] = [
            ("POST", ["Origin: http://evil.example", "Content-Type: text/plain"]),
            ("GET", ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"]),
            ("POST", ["Host: rebound.evil.example:\(port)"]),
        ]
        for (method, headers) in refused {
            let answer = try setup.api(method, "/v1/producer/schedule_snapshot", method == "POST" ? #"{"start_block_num": 500}"# : nil, headers: headers)
            XCTAssertEqual(answer.status, 403, "\(headers)")
            guard case .string(let what)? = answer.json["error"]?["what"] else { XCTFail("\(answer.json)"); continue }
            XCTAssertTrue(what.contains("refused") || what.contains("not a loopback address"), what)
        }
        XCTAssertEqual(try Shots.run(["schedule", "list", "--schedule", setup.schedule]).stdout, "", "nothing was scheduled")
        XCTAssertEqual(try setup.api("POST", "/v1/producer/schedule_snapshot", #"{"start_block_num": 500}"#, headers: ["Host: localhost:\(port)"]).status, 201)
        XCTAssertEqual(try setup.api("GET", "/health", headers: ["Origin: http://evil.example"]).status, 200, "reading health is harmless")
    }

    /// A schedule file the daemon cannot read is the daemon's problem (500), not the client's.
    func testAnUnreadableScheduleIsAServerError() throws {
        let setup = try Setup()
        try setup.startDaemon()
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: setup.schedule))
        let answer = try setup.api("POST", "/v1/producer/get_snapshot_requests", "{}")
        XCTAssertEqual(answer.status, 500)
        XCTAssertEqual(answer.json["error"]?["name"], .string("schedule_unavailable"), "\(answer.json)")
        XCTAssertEqual(try setup.api("POST", "/v1/producer/schedule_snapshot", "{}").status, 500)
        XCTAssertEqual(try String(contentsOfFile: setup.schedule, encoding: .utf8), "{ not json", "left as it was")
    }

    /// A one-shot request whose job is running is not finished yet, in the API and in `shots
    /// schedule status`. SIGTERM reaches the job's programs even without `exec`, and the daemon
    /// exits only once their cleanup is done. A second daemon on the same schedule is refused.
    func testStoppingWaitsForTheJobsCleanup() throws {
        let setup = try Setup()
        let job = setup.folder.subpath("job.py")
        try setup.folder.write("job.py", """
            import pathlib, signal, sys, time
            folder = pathlib.Path(sys.argv[1])
            def stop(*_):
                time.sleep(0.5)
                (folder / "cleaned").write_text("yes")
                sys.exit(0)
            signal.signal(signal.SIGTERM, stop)
            (folder / "started").write_text("yes")
            while True:
                time.sleep(0.05)
            """)
        XCTAssertEqual(try Shots.run(["schedule", "add", "--at", "100", "--schedule", setup.schedule]).status, 0)
        let port = try freeLoopbackPort()
        setup.daemon = try ListeningProcess([Shots.binary.path, "daemon", "--rpc", setup.node.origin, "--job", "python3 '\(job)' '\(setup.folder.path)'; echo after",
                                             "--poll", "0.02s", "--confirmations", "2", "--schedule", setup.schedule, "--listen", "127.0.0.1:\(port)"], port: port)
        try setup.moveHead(to: 100)
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: setup.folder.subpath("started")), Date() < deadline { usleep(20_000) }
        let status = try setup.api("POST", "/v1/producer/get_snapshot_request_status", #"{"snapshot_request_id": 0}"#).json
        XCTAssertEqual(status["finished"], .bool(false), "\(status)")
        guard case .array(let pending)? = status["pending_snapshots"] else { return XCTFail("\(status)") }
        XCTAssertEqual(pending.count, 1)
        let cli = try Shots.run(["schedule", "status", "0", "--schedule", setup.schedule])
        XCTAssertTrue(cli.stdout.hasPrefix("request 0: its last snapshot is running"), cli.stdout)

        let second = try Shots.run(["daemon", "--rpc", setup.node.origin, "--job", "true", "--listen", "127.0.0.1:0", "--schedule", setup.schedule])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("another shots daemon follows this schedule"), second.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: setup.folder.subpath("cleaned")), "the first daemon's job runs on")

        kill(setup.daemon!.pid, SIGTERM)
        while !setup.daemon!.hasExited, Date() < deadline.addingTimeInterval(10) { usleep(5_000) }
        XCTAssertTrue(setup.daemon!.hasExited)
        XCTAssertTrue(FileManager.default.fileExists(atPath: setup.folder.subpath("cleaned")), "the job's cleanup ended before the daemon: \(setup.daemon!.output)")
        let after = try Shots.run(["schedule", "status", "0", "--json", "--schedule", setup.schedule])
        XCTAssertTrue(after.stdout.contains(#""state": "failed""#) || after.stdout.contains(#""state":"failed""#), after.stdout)
    }
}

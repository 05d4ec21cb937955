import ArgumentParser
import Catalog
import Daemon
import Infrastructure
import Foundation
import Pipeline
import Schedule
import ShotsConfiguration

struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Follow the node's head and run the Job, one at a time, at the heights `shots schedule` lists; serve the scheduling API.",
        discussion: """
            Every --poll the node's final block is read (a Tezos node's \
            /chains/main/blocks/head~N/header, N = --confirmations; with --family polkadot, a \
            Substrate node's chain_getFinalizedHead, its chain_getHeader and its Timestamp.Now). When it reaches a scheduled height, the snapshot is recorded as pending and --job runs \
            (a shell command, typically `shots publish ... --rpc URL --max-block-age 10m`), with \
            SHOTS_REQUESTED_HEIGHT, SHOTS_HEAD_LEVEL, SHOTS_HEAD_HASH and SHOTS_REQUEST_IDS set; \
            the job reports what it made in the JSON file $SHOTS_JOB_REPORT (`shots publish` \
            writes it itself: artifact, network, captured_block_num, uploaded_bytes). Then the \
            snapshot is done, or failed with its \
            reason (after --retries more tries). No job starts from a node whose newest block is \
            older than --max-block-age. A job left pending by a daemon that stopped is marked \
            failed when it starts again. SIGTERM stops it after the running job's own cleanup.

            The API of the snapshot-scheduling design is served at --listen (loopback by default; \
            any other address needs --token, sent as Authorization: Bearer): POST \
            /v1/producer/schedule_snapshot, get_snapshot_requests, get_snapshot_request_status, \
            unschedule_snapshot; GET /health.

            Examples:
              shots daemon --rpc http://127.0.0.1:8732 --job 'shots publish /var/tezos --profile tezos-rolling --network mainnet --rpc http://127.0.0.1:8732 --max-block-age 10m'
              curl -X POST localhost:8080/v1/producer/schedule_snapshot -d '{"block_spacing": 10000, "start_block_num": 5000000}'
            """
    )

    @Option(help: "The node's RPC address: a Tezos node's RPC, or a Substrate node's HTTP JSON-RPC with --family polkadot.") var rpc: String
    @Option(help: "tezos (the octez RPC), or polkadot for a Substrate node (Polkadot, Kusama), whose finalized head is followed.")
    var family: ChainFamily = .tezos
    @Option(help: "The Job: a shell command run at each scheduled height.") var job: String
    @Option(help: ArgumentHelp("Refuse to start a job when the node's newest block is older than this, e.g. 10m.", valueName: "duration"))
    var maxBlockAge: String?
    @Option(help: ArgumentHelp("How often the head is read, e.g. 5s or 0.5s.", valueName: "duration")) var poll = "5s"
    @Option(help: "Further tries of a failed job.") var retries = 0
    @Option(help: ArgumentHelp("With nothing scheduled, run the job anyway once this long has passed since the last one started, e.g. 6h (continuous mode).",
                               valueName: "duration"))
    var minInterval: String?
    @Option(help: "Blocks below a Tezos head that make a block final; scheduled heights are compared with that block (default \(Self.tezosConfirmations), Tenderbake's).")
    var confirmations: Int?
    /// Tenderbake finalises a block once two more are built on it.
    static let tezosConfirmations = 2
    @Option(help: ArgumentHelp("Where the API listens (HOST:PORT; port 0 picks a free one).", valueName: "address")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("The bearer token the API asks for (default: $SHOTS_DAEMON_TOKEN); needed off loopback.", valueName: "token"))
    var token: String?
    @OptionGroup var location: ScheduleCommand.Location

    private var pollSeconds: Double? {
        if poll.hasSuffix("s"), let seconds = Double(poll.dropLast()), seconds > 0 { return seconds }
        return DurationText.seconds(poll).map(Double.init)
    }

    private var address: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (String(listen[..<colon]), port)
    }

    private var bearer: String? { token ?? ProcessInfo.processInfo.environment["SHOTS_DAEMON_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } }

    func validate() throws {
        if let maxBlockAge, DurationText.seconds(maxBlockAge) == nil { throw ValidationError("--max-block-age: expected \(DurationText.expectation), found \"\(maxBlockAge)\"") }
        if let minInterval, DurationText.seconds(minInterval) == nil { throw ValidationError("--min-interval: expected \(DurationText.expectation), found \"\(minInterval)\"") }
        guard pollSeconds != nil else { throw ValidationError("--poll: expected a duration such as 5s or 0.5s, found \"\(poll)\"") }
        guard let address else { throw ValidationError("--listen: expected HOST:PORT, e.g. 127.0.0.1:8080, found \"\(listen)\"") }
        if !BrowserGuard.isLoopback(name: address.host), bearer == nil {
            throw ValidationError("--listen: \(address.host) is not loopback: give --token (or SHOTS_DAEMON_TOKEN) so that only its holders change the schedule")
        }
        guard retries >= 0 else { throw ValidationError("--retries: expected 0 or more, found \(retries)") }
        if let confirmations {
            guard family == .tezos else { throw ValidationError("--confirmations: a Substrate node's finalized head is final already; leave it out with --family polkadot") }
            guard (0...100).contains(confirmations) else { throw ValidationError("--confirmations: expected 0 to 100, found \(confirmations)") }
        }
    }

    func run() throws {
        let store = location.store
        let node: any ChainHead = family == .tezos ? NodeRPC(baseURL: rpc) : SubstrateRPC(baseURL: rpc)
        let loop = DaemonLoop(.init(store: store, rpc: node, job: job, maxBlockAgeSeconds: maxBlockAge.flatMap(DurationText.seconds),
                                    retries: retries, confirmations: confirmations ?? Self.tezosConfirmations, minIntervalSeconds: minInterval.flatMap(DurationText.seconds)), log: { standardError("shots daemon: \($0)") })
        // One daemon per schedule, for its whole life: a second would run jobs twice and fail the
        // first one's running job as interrupted.
        let ownership = PathText.parent(store.path).isEmpty ? "." : PathText.parent(store.path)
        let lockPath = ownership + "/." + PathText.name(store.path) + ".daemon.lock"
        let owner = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard owner >= 0, flock(owner, LOCK_EX | LOCK_NB) == 0 else {
            throw fail(Problem(origin: store.path, reason: "another shots daemon follows this schedule (\(lockPath) is locked)"))
        }
        defer { close(owner) }
        do throws(Problem) { try loop.recoverInterrupted() } catch { throw fail(error) }
        let poll = pollSeconds ?? 5
        let finished = DispatchSemaphore(value: 0)
        let worker = Thread {
            var lastProblem = ""
            while !loop.isStopping {
                do throws(Problem) {
                    try loop.tick()
                    lastProblem = ""
                } catch {
                    // A node that does not answer is said once, not every poll.
                    if error.description != lastProblem { standardError("shots daemon: \(error)") }
                    lastProblem = error.description
                }
                if !loop.isStopping { Thread.sleep(forTimeInterval: poll) }
            }
            finished.signal()
        }
        worker.start()
        let (host, port) = address ?? ("127.0.0.1", 8080)
        let token = bearer
        let served = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task {
            do {
                try await DaemonServer.run(loop: loop, store: store, host: host, port: port, token: token) { listening in
                    standardError("shots daemon: schedule \(store.path), API at http://\(host):\(listening)/v1/producer/, health at /health")
                }
            } catch {
                failure = error
            }
            served.signal()
        }
        served.wait()  // the server ends on SIGTERM or SIGINT
        loop.stop()
        finished.wait()
        if let failure { throw fail(Problem(origin: listen, reason: "cannot serve: \(failure)")) }
    }
}

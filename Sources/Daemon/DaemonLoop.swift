import Catalog
import Infrastructure
import Pipeline
import Schedule
import Foundation

/// `shots daemon`'s loop: follows the node's head and, when it reaches a scheduled height, runs the
/// job (one at a time), recording the snapshot as pending, then done or failed, in the schedule.
public final class DaemonLoop: @unchecked Sendable {
    public struct Settings: Sendable {
        public var store: ScheduleStore
        /// The node: a Tezos RPC (`NodeRPC`) or a Substrate JSON-RPC (`SubstrateRPC`).
        public var rpc: any ChainHead
        /// A shell command: the Job (`shots publish ...`).
        public var job: String
        /// The freshness gate: no job starts from a node whose newest block is older.
        public var maxBlockAgeSeconds: Int64?
        /// Further tries of a failed job for the same snapshot.
        public var retries: Int
        /// Blocks below the head that make a Tezos block final: heights are compared with `head~N`.
        public var confirmations: Int
        /// With no request scheduled, run the job anyway once this long has passed since the last
        /// one started (the reference scheduler's continuous mode); nil: only at scheduled heights.
        public var minIntervalSeconds: Int64?

        public init(store: ScheduleStore, rpc: any ChainHead, job: String, maxBlockAgeSeconds: Int64?, retries: Int, confirmations: Int, minIntervalSeconds: Int64?) {
            (self.store, self.rpc, self.job, self.maxBlockAgeSeconds, self.retries) = (store, rpc, job, maxBlockAgeSeconds, retries)
            (self.confirmations, self.minIntervalSeconds) = (confirmations, minIntervalSeconds)
        }
    }

    private let settings: Settings
    private let log: @Sendable (String) -> Void
    /// What /metrics reports.
    public let metrics = DaemonMetrics()
    private let lock = NSLock()
    private var lastHead: BlockInfo?
    private var lastSuccess: Date?
    private var running: Process?
    private var stopping = false
    private var refusedAt: Int64?
    private var lastJobStart: Date?

    public init(_ settings: Settings, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.log = log
    }

    /// A snapshot left pending by a daemon that stopped mid-job is failed, with that reason:
    /// publish never leaves a half-published state, and status shows what happened.
    public func recoverInterrupted() throws(Problem) {
        try settings.store.update { (schedule: inout SnapshotSchedule) throws(Problem) in
            while schedule.history.contains(where: { $0.state == .pending }) {
                schedule.finished(state: .failed, artifact: nil, capturedHeight: nil, error: "interrupted: the daemon stopped while the job ran")
            }
        }
    }

    /// One look at the node: runs the job when a scheduled height is due. Returns whether it ran one.
    @discardableResult
    public func tick(now: Date = Date()) throws(Problem) -> Bool {
        let head = try settings.rpc.finalBlock(confirmations: settings.confirmations)
        lock.withLock { lastHead = head }
        metrics.sawHead(head.height)
        let level = head.height
        let continuous = settings.minIntervalSeconds.map { interval in
            lock.withLock { lastJobStart.map { now.timeIntervalSince($0) >= Double(interval) } ?? true }
        } ?? false
        var stale: Problem?
        if let maxAge = settings.maxBlockAgeSeconds {
            // The node's sync is judged by its newest block, not by the final one below it.
            let newest = try settings.rpc.newestBlock()
            do throws(Problem) { try FreshnessGate.check(newest, maxAgeSeconds: maxAge, now: now) } catch { stale = error }
        }
        // What is due and its start are decided in one hold of the schedule's lock: a request
        // cancelled meanwhile is not run, and nothing is decided twice.
        let decided = try settings.store.update { (schedule: inout SnapshotSchedule) throws(Problem) -> (snapshot: ScheduledSnapshot?, height: Int64?) in
            schedule.fixStarts(atHead: level)
            var due = schedule.due(atHead: level)
            if due == nil, continuous, schedule.requests.isEmpty { due = (level, [], []) }  // continuous: no request asked for it
            guard let due else { return (nil, nil) }
            guard stale == nil, !isStopping else { return (nil, due.height) }
            let snapshot = ScheduledSnapshot(requests: due.requests, requestedHeight: due.height, headBlockID: head.hash, headHeight: level,
                                             headTime: head.timestamp, skippedHeights: due.skipped)
            schedule.started(snapshot, atHead: level)
            return (snapshot, due.height)
        }
        guard let snapshot = decided.snapshot else {
            if let stale, let height = decided.height, lock.withLock({ refusedAt }) != level {
                log("refused the job for block \(height): \(stale)")
                metrics.refusedStale()
                lock.withLock { refusedAt = level }
            }
            return false
        }
        let due = (height: snapshot.requestedHeight, skipped: snapshot.skippedHeights)
        if !due.skipped.isEmpty { log("heights \(due.skipped.map(String.init).joined(separator: ", ")) passed while no job could run: skipped") }
        let started = Date()
        lock.withLock { lastJobStart = started }
        let outcome = runJob(snapshot)
        metrics.jobEnded(succeeded: outcome.error == nil, seconds: Date().timeIntervalSince(started), report: outcome.report, requestedHeight: due.height,
                         at: Date().timeIntervalSince1970)
        try settings.store.update { (schedule: inout SnapshotSchedule) throws(Problem) in
            schedule.finished(state: outcome.error == nil ? .done : .failed, artifact: outcome.report.artifact, capturedHeight: outcome.report.capturedHeight,
                              error: outcome.error)
        }
        if outcome.error == nil { lock.withLock { lastSuccess = Date() } }
        return true
    }

    /// Runs the job (again after a failure, `retries` times); what it made is what it wrote into
    /// `$SHOTS_JOB_REPORT` (`JobReport`).
    private func runJob(_ snapshot: ScheduledSnapshot) -> (report: JobReport, error: String?) {
        var lastError = ""
        for attempt in 0...settings.retries {
            var template = Array((NSTemporaryDirectory() + "shots-job-XXXXXX").utf8CString)
            guard mkdtemp(&template) != nil else { return (JobReport(), "cannot create the job's folder: \(String(cString: strerror(errno)))") }
            let folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", settings.job]
            process.environment = ProcessInfo.processInfo.environment.merging([
                "SHOTS_REQUESTED_HEIGHT": String(snapshot.requestedHeight), "SHOTS_HEAD_LEVEL": String(snapshot.headHeight),
                "SHOTS_HEAD_HASH": snapshot.headBlockID, "SHOTS_REQUEST_IDS": snapshot.requests.map(String.init).joined(separator: ","),
                JobReport.environmentVariable: folder + "/report.json",
            ]) { $1 }
            log("job for block \(snapshot.requestedHeight) (head \(snapshot.headHeight), requests \(snapshot.requests.map(String.init).joined(separator: ", "))) started" + (attempt > 0 ? ", try \(attempt + 1)" : ""))
            let started = Date()
            // Started under the lock `stop()` takes: a stop either comes first (no job) or sees it.
            let launch: String? = lock.withLock {
                if stopping { return "stopped: the daemon was asked to stop" }
                do { try process.run() } catch { return "cannot run the job: \(error.localizedDescription)" }
                running = process
                return nil
            }
            if let launch { return (JobReport(), launch) }
            process.waitUntilExit()
            // Stopped: the job's programs got SIGTERM with its shell; their cleanup (an upload
            // aborted) ends before the daemon does.
            if isStopping { ProcessGroup(id: process.processIdentifier).waitUntilEmpty(seconds: Self.stopGraceSeconds, log: log) }
            lock.withLock { running = nil }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            if process.terminationReason == .exit, process.terminationStatus == 0 {
                var report = JobReport()
                do throws(Problem) { report = try JobReport.read(folder + "/report.json") ?? report } catch {
                    log("the job's report is left out: \(error)")
                }
                log("job for block \(snapshot.requestedHeight) done in \(seconds) s" + (report.artifact.map { ": \($0)" } ?? ""))
                return (report, nil)
            }
            lastError = process.terminationReason == .exit ? "the job exited with status \(process.terminationStatus)" : "the job was killed by signal \(process.terminationStatus)"
            log("job for block \(snapshot.requestedHeight) failed after \(seconds) s: \(lastError)")
        }
        return (JobReport(), lastError)
    }

    /// How long a stopped job's programs may clean up before they are killed (under Kubernetes,
    /// its grace period usually ends first).
    static let stopGraceSeconds = 600.0

    /// Stops: no job starts after this, and a running one gets SIGTERM, its shell and every
    /// program it started (their own cleanup runs, and is waited for).
    public func stop() {
        lock.withLock {
            stopping = true
            if let running { ProcessGroup(id: running.processIdentifier).signal(SIGTERM) }
        }
    }

    public var isStopping: Bool { lock.withLock { stopping } }

    /// What /health reports: the node's head as last seen, the last success, a job running.
    public func health() -> (ok: Bool, body: JSONObject) {
        lock.withLock {
            var fields: [(String, JSONValue)] = [("status", .string(lastHead == nil ? "no head seen yet" : "ok")), ("job_running", .bool(running != nil))]
            if let lastHead {
                fields += [("head_block_num", .integer(lastHead.height)), ("head_block_id", .string(lastHead.hash)), ("head_block_time", .string(lastHead.timestamp))]
            }
            if let lastSuccess { fields.append(("last_success", .string(BlockTimestamp.format(secondsSince1970: UInt64(lastSuccess.timeIntervalSince1970))))) }
            return (lastHead != nil, JSONObject(fields))
        }
    }
}

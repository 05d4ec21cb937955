import Prometheus
import Schedule

/// What `/metrics` reports in Prometheus's text format (swift-prometheus): the node's head, job
/// outcomes and durations, the last success, and per network the newest snapshot's height and the
/// bytes jobs uploaded (as their `JobReport`s say).
public final class DaemonMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let head: Gauge
    private let done: Counter
    private let failed: Counter
    private let refused: Counter
    private let lastSuccess: Gauge
    private let duration: DurationHistogram

    public init() {
        head = registry.makeGauge(name: "shots_daemon_head_block_height", help: "The node's head block height, as last read.")
        done = registry.makeCounter(name: "shots_daemon_jobs_total", labels: [("outcome", "done")], help: "Jobs run, by outcome.")
        failed = registry.makeCounter(name: "shots_daemon_jobs_total", labels: [("outcome", "failed")], help: "Jobs run, by outcome.")
        refused = registry.makeCounter(name: "shots_daemon_refused_total", help: "Jobs not started: the node's newest block was too old.")
        lastSuccess = registry.makeGauge(name: "shots_daemon_last_success_timestamp_seconds", help: "When a job last succeeded (Unix time).")
        duration = registry.makeDurationHistogram(
            name: "shots_daemon_job_duration_seconds",
            buckets: [.seconds(10), .seconds(60), .seconds(300), .seconds(900), .seconds(1800), .seconds(3600), .seconds(7200), .seconds(14400)],
            help: "How long jobs ran.")
    }

    func sawHead(_ height: Int64) { head.set(Double(height)) }
    func refusedStale() { refused.increment() }

    /// A job ended; its report names the network (`unknown` when it does not), the height it
    /// captured (else the requested one counts) and the bytes it uploaded.
    func jobEnded(succeeded: Bool, seconds: Double, report: JobReport, requestedHeight: Int64, at unixTime: Double) {
        duration.record(.milliseconds(Int64(seconds * 1000)))
        let network = [("network", report.network ?? "unknown")]
        if let bytes = report.uploadedBytes, bytes > 0 {
            registry.makeCounter(name: "shots_daemon_uploaded_bytes_total", labels: network, help: "Bytes jobs uploaded to the stores, by network.")
                .increment(by: bytes)
        }
        guard succeeded else { return failed.increment() }
        done.increment()
        lastSuccess.set(unixTime)
        registry.makeGauge(name: "shots_daemon_newest_snapshot_block_height", labels: network, help: "The block height of the newest snapshot a job made, by network.")
            .set(Double(report.capturedHeight ?? requestedHeight))
    }

    /// The text a Prometheus scrape reads.
    public func text() -> String { registry.emitToString() }
}

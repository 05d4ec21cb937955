import Prometheus

/// What `/metrics` reports in Prometheus's text format (swift-prometheus): the node's head, job
/// outcomes and durations, the last success and the newest snapshot's height.
public final class DaemonMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let head: Gauge
    private let done: Counter
    private let failed: Counter
    private let refused: Counter
    private let lastSuccess: Gauge
    private let newestHeight: Gauge
    private let duration: DurationHistogram

    public init() {
        head = registry.makeGauge(name: "shots_daemon_head_block_height", help: "The node's head block height, as last read.")
        done = registry.makeCounter(name: "shots_daemon_jobs_total", labels: [("outcome", "done")], help: "Jobs run, by outcome.")
        failed = registry.makeCounter(name: "shots_daemon_jobs_total", labels: [("outcome", "failed")], help: "Jobs run, by outcome.")
        refused = registry.makeCounter(name: "shots_daemon_refused_total", help: "Jobs not started: the node's newest block was too old.")
        lastSuccess = registry.makeGauge(name: "shots_daemon_last_success_timestamp_seconds", help: "When a job last succeeded (Unix time).")
        newestHeight = registry.makeGauge(name: "shots_daemon_newest_snapshot_block_height", help: "The block height of the newest snapshot a job made.")
        duration = registry.makeDurationHistogram(
            name: "shots_daemon_job_duration_seconds",
            buckets: [.seconds(10), .seconds(60), .seconds(300), .seconds(900), .seconds(1800), .seconds(3600), .seconds(7200), .seconds(14400)],
            help: "How long jobs ran.")
    }

    func sawHead(_ height: Int64) { head.set(Double(height)) }
    func refusedStale() { refused.increment() }

    func jobEnded(succeeded: Bool, seconds: Double, height: Int64, at unixTime: Double) {
        duration.record(.milliseconds(Int64(seconds * 1000)))
        if succeeded {
            done.increment()
            lastSuccess.set(unixTime)
            newestHeight.set(Double(height))
        } else {
            failed.increment()
        }
    }

    /// The text a Prometheus scrape reads.
    public func text() -> String { registry.emitToString() }
}

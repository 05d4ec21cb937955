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

    /// `shots_daemon_<metric>_<unit>`.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "shots", subsystem: "daemon", metricName: metric, unitName: unit, helpText: help)
    }

    private static var jobs: MetricNameDescriptor { name("jobs", "total", "Jobs run, by outcome.") }
    private static var uploaded: MetricNameDescriptor { name("uploaded_bytes", "total", "Bytes jobs uploaded to the stores, by network.") }
    private static var newest: MetricNameDescriptor { name("newest_snapshot_block", "height", "The block height of the newest snapshot a job made, by network.") }

    public init() {
        head = registry.makeGauge(descriptor: Self.name("head_block", "height", "The node's final block height, as last read."))
        done = registry.makeCounter(descriptor: Self.jobs, labels: [("outcome", "done")])
        failed = registry.makeCounter(descriptor: Self.jobs, labels: [("outcome", "failed")])
        refused = registry.makeCounter(descriptor: Self.name("refused", "total", "Jobs not started: the node's newest block was too old."))
        lastSuccess = registry.makeGauge(descriptor: Self.name("last_success_timestamp", "seconds", "When a job last succeeded (Unix time)."))
        duration = registry.makeDurationHistogram(
            descriptor: Self.name("job_duration", "seconds", "How long jobs ran."),
            buckets: [.seconds(10), .seconds(60), .seconds(300), .seconds(900), .seconds(1800), .seconds(3600), .seconds(7200), .seconds(14400)])
    }

    func sawHead(_ height: Int64) { head.set(Double(height)) }
    func refusedStale() { refused.increment() }

    /// A job ended; its report names the network (`unknown` when it does not), the height it
    /// captured (else the requested one counts) and the bytes it uploaded.
    func jobEnded(succeeded: Bool, seconds: Double, report: JobReport, requestedHeight: Int64, at unixTime: Double) {
        duration.record(.milliseconds(Int64(seconds * 1000)))
        let network = [("network", report.network ?? "unknown")]
        if let bytes = report.uploadedBytes, bytes > 0 { registry.makeCounter(descriptor: Self.uploaded, labels: network).increment(by: bytes) }
        guard succeeded else { return failed.increment() }
        done.increment()
        lastSuccess.set(unixTime)
        registry.makeGauge(descriptor: Self.newest, labels: network).set(Double(report.capturedHeight ?? requestedHeight))
    }

    /// The text a Prometheus scrape reads.
    public func text() -> String { registry.emitToString() }
}

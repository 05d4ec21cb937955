import Catalog
import Foundation

/// Named, timed steps: each is logged with its time and what it wrote, and a failure is named by
/// its step (`step "Move permalinks": ...`), so an operator knows what was done and what was not.
final class StepRunner {
    let writes: StoreWrites
    private let log: (String) -> Void
    private(set) var steps: [PublishSummary.Step] = []

    init(writes: StoreWrites, log: @escaping (String) -> Void) {
        self.writes = writes
        self.log = log
    }

    func run<T>(_ name: String, _ body: () throws(Problem) -> (T, String)) throws(Problem) -> T {
        let start = Date()
        let before = writes.written.count
        let value: T
        let detail: String
        do throws(Problem) { (value, detail) = try body() } catch {
            throw Problem(origin: "step \"\(name)\"", reason: "\(error)")
        }
        let added = writes.written[before...]
        let seconds = Date().timeIntervalSince(start)
        steps.append(.init(name: name, seconds: seconds, detail: detail, objects: added.count, bytes: added.reduce(0) { $0 + $1.bytes }))
        log(String(format: "%@: %@ (%.2f s)", name, detail, seconds))
        return value
    }

    /// The summary of a run so far.
    func summarize(_ summary: inout PublishSummary) {
        summary.steps = steps
        summary.written = writes.written
        summary.deleted = writes.deleted
    }
}

import Catalog
import Foundation
import Infrastructure

/// Publish's steps: run, timed and named by the one `StepRunner`, and counted by what each
/// wrote through `writes`, for the closing table.
final class PublishSteps {
    let writes: StoreWrites
    private let runner: StepRunner
    private(set) var steps: [PublishSummary.Step] = []

    init(writes: StoreWrites, log: @escaping (String) -> Void) {
        self.writes = writes
        runner = StepRunner(log: log)
    }

    func run<T>(_ name: String, _ body: () throws(Problem) -> (T, String)) throws(Problem) -> T {
        let before = writes.written.count
        let value = try runner.run(name, body)
        let added = writes.written[before...]
        if let record = runner.records.last {
            steps.append(.init(name: record.name, seconds: record.seconds, detail: record.detail, objects: added.count,
                               bytes: added.reduce(0) { $0 + $1.bytes }))
        }
        return value
    }

    /// The summary of a run so far.
    func summarize(_ summary: inout PublishSummary) {
        summary.steps = steps
        summary.written = writes.written
        summary.deleted = writes.deleted
    }
}

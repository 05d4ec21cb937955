import Foundation

/// Named, timed steps: the shape of `shots build` and `shots publish`. Each step is logged with
/// its time and a few words of what it did, and a failure names its step (`step "Move
/// permalinks": ...`), so an operator knows what was done and what was not.
public final class StepRunner {
    /// One step as it ran.
    public struct Record: Sendable {
        public let name: String
        public let seconds: Double
        /// What it did, in a few words ("16 artifacts").
        public let detail: String
    }

    /// The steps that finished, in order.
    public private(set) var records: [Record] = []
    private let log: (String) -> Void

    /// `log` hears a line per finished step: name, what it did, how long it took.
    public init(log: @escaping (String) -> Void) {
        self.log = log
    }

    /// Runs one step: `body` gives its value and what it did.
    public func run<T>(_ name: String, _ body: () throws(Problem) -> (T, String)) throws(Problem) -> T {
        let start = Date()
        let value: T
        let detail: String
        do throws(Problem) { (value, detail) = try body() } catch {
            throw Self.named(name, error)
        }
        finish(name, seconds: Date().timeIntervalSince(start), detail: detail)
        return value
    }

    /// Runs steps that need nothing from each other at the same time, one core each; they are
    /// logged in the order given, and the first of them to fail in that order is thrown.
    public func runTogether(_ steps: [(name: String, body: @Sendable () throws(Problem) -> String)]) throws(Problem) {
        let outcomes = steps.parallelMap(minimumChunk: 1) { step -> Unchecked<Result<(String, Double), Problem>> in
            let start = Date()
            let outcome = Result { () throws(Problem) in try step.body() }
            return Unchecked(outcome.map { ($0, Date().timeIntervalSince(start)) })
        }
        for (step, outcome) in zip(steps, outcomes) {
            let detail: String
            let seconds: Double
            do throws(Problem) { (detail, seconds) = try outcome.value.get() } catch {
                throw Self.named(step.name, error)
            }
            finish(step.name, seconds: seconds, detail: detail)
        }
    }

    private func finish(_ name: String, seconds: Double, detail: String) {
        records.append(Record(name: name, seconds: seconds, detail: detail))
        log(String(format: "%@: %@ (%.3f s)", name, detail, seconds))
    }

    private static func named(_ step: String, _ error: Problem) -> Problem {
        error.inStep(step)
    }
}

import Foundation

/// How often and how long a request is tried again after a transient failure (a reset, a
/// timeout, 5xx, 429): exponential backoff with full jitter, bounded in count and in time.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var baseDelay: Double
    public var maximumDelay: Double
    /// No retry starts after this many seconds from the first attempt.
    public var deadline: Double

    public init(attempts: Int, baseDelay: Double, maximumDelay: Double, deadline: Double) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.deadline = deadline
    }

    public static let standard = RetryPolicy(attempts: 7, baseDelay: 0.5, maximumDelay: 20, deadline: 600)

    /// The outcome of one attempt.
    public enum Attempt<Value> {
        case done(Value)
        /// Worth another try; `reason` is logged (no secrets in it).
        case retry(String)
    }

    /// The wait before retry `number` (1-based): uniformly random up to base × 2^(number-1), capped.
    public func delay(beforeRetry number: Int) -> Double {
        Double.random(in: 0...min(maximumDelay, baseDelay * pow(2, Double(number - 1))))
    }

    /// Runs `attempt` until it is done, throws, or the bounds are reached; then the last reason
    /// becomes the error that `failure` makes.
    public func run<Value, Failure: Error>(
        log: (String) -> Void = { _ in }, failure: (String) -> Failure, _ attempt: () throws(Failure) -> Attempt<Value>
    ) throws(Failure) -> Value {
        let start = Date()
        var number = 1
        while true {
            switch try attempt() {
            case .done(let value): return value
            case .retry(let reason):
                let wait = delay(beforeRetry: number)
                guard number < attempts, Date().timeIntervalSince(start) + wait < deadline else {
                    throw failure("\(reason) (gave up after \(number) attempts)")
                }
                log("\(reason); retrying in \(String(format: "%.1f", wait)) s (attempt \(number + 1) of \(attempts))")
                usleep(useconds_t(wait * 1_000_000))
                number += 1
            }
        }
    }
}

extension RetryPolicy {
    /// A transport error that is transient is retried; others end the run.
    func run(_ request: () throws(TransportError) -> HTTPResponse) throws(TransportError) -> HTTPResponse {
        try run(failure: { TransportError(reason: $0, isTransient: false) }) { () throws(TransportError) -> Attempt<HTTPResponse> in
            do throws(TransportError) { return .done(try request()) } catch {
                guard error.isTransient else { throw error }
                return .retry(error.reason)
            }
        }
    }
}

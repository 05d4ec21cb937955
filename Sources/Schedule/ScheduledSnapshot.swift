/// A snapshot the schedule asked for: pending while its job runs, then done or failed, kept in
/// the history so that a request's snapshots stay queryable once it has left the schedule.
public struct ScheduledSnapshot: Sendable, Equatable {
    public enum State: String, Sendable { case pending, done, failed }

    /// The requests that asked for it (several when they landed on the same block), and the
    /// height each asked for.
    public var requests: [Int64]
    public var requestedHeight: Int64
    /// The head the job started from.
    public var headBlockID: String
    public var headHeight: Int64
    public var headTime: String
    /// The height the artifact captured (≥ the requested one for a tarball of a live data dir).
    public var capturedHeight: Int64?
    public var artifact: String?
    public var state: State
    public var error: String?
    /// Aligned heights the head passed while no job could run: not fired, said here.
    public var skippedHeights: [Int64]

    public init(requests: [Int64], requestedHeight: Int64, headBlockID: String, headHeight: Int64, headTime: String,
                capturedHeight: Int64? = nil, artifact: String? = nil, state: State = .pending, error: String? = nil, skippedHeights: [Int64] = []) {
        (self.requests, self.requestedHeight, self.headBlockID, self.headHeight, self.headTime) = (requests, requestedHeight, headBlockID, headHeight, headTime)
        (self.capturedHeight, self.artifact, self.state, self.error, self.skippedHeights) = (capturedHeight, artifact, state, error, skippedHeights)
    }
}

import Infrastructure

/// A request for snapshots by block height, as the Antelope/Leap snapshot-scheduling design has
/// them: at `start` (nil: as soon as possible, fixed at the first head the daemon sees), then every
/// `spacing` blocks (0: once) until `end` (nil: until cancelled). Heights fire aligned to the
/// start (start + k·spacing), also after a restart, since the last height fired is kept.
public struct SnapshotRequest: Sendable, Equatable {
    public var id: Int64
    public var spacing: Int64
    public var start: Int64?
    public var end: Int64?
    public var description: String
    /// The last height this request asked a snapshot for.
    public var lastRequested: Int64?
    /// The longest description kept (the API's document says so too).
    public static let descriptionLimit = 1000

    public init(id: Int64, spacing: Int64, start: Int64?, end: Int64?, description: String, lastRequested: Int64? = nil) {
        (self.id, self.spacing, self.start, self.end, self.description, self.lastRequested) = (id, spacing, start, end, description, lastRequested)
    }

    /// The next height it fires at; nil when it has fired for the last time (or waits for a start).
    public var nextHeight: Int64? {
        guard let start else { return nil }
        let next: Int64
        if let lastRequested {
            guard spacing > 0 else { return nil }
            let (sum, overflow) = lastRequested.addingReportingOverflow(spacing)
            guard !overflow else { return nil }  // past the largest height there is
            next = sum
        } else {
            next = start
        }
        if let end, next > end { return nil }
        return next
    }

    /// Whether it has nothing left to ask for (it leaves the schedule then).
    public var isFinished: Bool { start != nil && nextHeight == nil }

    /// The latest aligned height at or below `head` it has not fired for, and the aligned heights
    /// before it that the head passed while no one was looking (skipped, not fired twice; the
    /// last `skippedListed` of them, however many there were).
    func due(atHead head: Int64) -> (height: Int64, skipped: [Int64])? {
        guard let next = nextHeight, next <= head else { return nil }
        guard spacing > 0 else { return (next, []) }
        let limit = min(head, end ?? head)
        let steps = (limit - next) / spacing
        let latest = next + steps * spacing
        let listed = min(steps, Int64(Self.skippedListed))
        return (latest, (0..<listed).reversed().map { latest - ($0 + 1) * spacing })
    }

    /// How many skipped heights a snapshot lists at most.
    static let skippedListed = 100

    /// Checks what a user or an API client asked for.
    public static func check(spacing: Int64, start: Int64?, end: Int64?) throws(Problem) {
        guard spacing >= 0 else { throw Problem(origin: "block_spacing", reason: "expected 0 (once) or a positive number of blocks, found \(spacing)") }
        if let start, start < 0 { throw Problem(origin: "start_block_num", reason: "expected a block height (0 or more), found \(start)") }
        if let end, end < 0 { throw Problem(origin: "end_block_num", reason: "expected a block height (0 or more), found \(end)") }
        if let start, let end, end < start { throw Problem(origin: "end_block_num", reason: "\(end) is before start_block_num \(start)") }
        if spacing == 0, let end, start == nil || start != end {
            throw Problem(origin: "end_block_num", reason: "a request without block_spacing fires once: give no end_block_num, or the start's")
        }
    }
}

import Infrastructure

/// The requests waiting for their heights and the snapshots they produced: pure rules, no I/O
/// (`ScheduleStore` keeps it on disk).
public struct SnapshotSchedule: Sendable, Equatable {
    public private(set) var requests: [SnapshotRequest] = []
    public private(set) var history: [ScheduledSnapshot] = []
    public private(set) var nextID: Int64 = 0
    /// Snapshots kept in the history, newest last.
    static let historyLimit = 1000

    public init() {}

    init(requests: [SnapshotRequest], history: [ScheduledSnapshot], nextID: Int64) {
        (self.requests, self.history, self.nextID) = (requests, history, nextID)
    }

    /// Adds a request; a duplicate of an active one (same spacing, start and end) is refused.
    public mutating func add(spacing: Int64, start: Int64?, end: Int64?, description: String) throws(Problem) -> SnapshotRequest {
        try SnapshotRequest.check(spacing: spacing, start: start, end: end)
        guard description.count <= SnapshotRequest.descriptionLimit else {
            throw Problem(origin: "snapshot_description", reason: "longer than \(SnapshotRequest.descriptionLimit) characters")
        }
        if let same = requests.first(where: { $0.spacing == spacing && $0.start == start && $0.end == end }) {
            throw Problem(origin: "request", reason: "duplicate of request \(same.id) (same block_spacing, start_block_num and end_block_num)")
        }
        let request = SnapshotRequest(id: nextID, spacing: spacing, start: start, end: end, description: description)
        nextID += 1
        requests.append(request)
        return request
    }

    /// Removes an active request; its snapshots stay in the history.
    public mutating func cancel(_ id: Int64) throws(Problem) -> SnapshotRequest {
        guard let index = requests.firstIndex(where: { $0.id == id }) else {
            throw Problem(origin: "snapshot_request_id", reason: "no scheduled request \(id)" + (id < nextID ? " (it finished or was cancelled)" : ""))
        }
        return requests.remove(at: index)
    }

    /// Requests from `id` on, at most `limit`, and the id to ask from next (nil at the end).
    public func page(from id: Int64, limit: Int) -> (requests: [SnapshotRequest], next: Int64?) {
        let from = requests.filter { $0.id >= id }
        let page = Array(from.prefix(limit))
        return (page, from.count > limit ? from[limit].id : nil)
    }

    /// The snapshots a request asked for, oldest first.
    public func snapshots(of id: Int64) -> [ScheduledSnapshot] { history.filter { $0.requests.contains(id) } }

    /// Requests with no start take the first head the daemon sees as theirs.
    public mutating func fixStarts(atHead head: Int64) {
        for index in requests.indices where requests[index].start == nil { requests[index].start = head }
        requests.removeAll(where: \.isFinished)  // an end below the head just fixed: nothing left to ask
    }

    /// What is due at `head`: one snapshot for every request whose next height the head reached,
    /// at the highest such height (requests landing on one block share it). Nil when nothing is.
    public func due(atHead head: Int64) -> (height: Int64, requests: [Int64], skipped: [Int64])? {
        let dues = requests.compactMap { request in request.due(atHead: head).map { (request.id, $0.height, $0.skipped) } }
        guard let height = dues.map(\.1).max() else { return nil }
        return (height, dues.map(\.0), dues.flatMap(\.2).sorted())
    }

    /// Records a snapshot started for `snapshot.requests`: each request has fired for its due
    /// height, and one that has nothing left leaves the schedule.
    public mutating func started(_ snapshot: ScheduledSnapshot, atHead head: Int64) {
        for index in requests.indices where snapshot.requests.contains(requests[index].id) {
            if let due = requests[index].due(atHead: head) { requests[index].lastRequested = due.height }
        }
        requests.removeAll(where: \.isFinished)
        history.append(snapshot)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// Updates the newest pending snapshot (the job's outcome).
    public mutating func finished(state: ScheduledSnapshot.State, artifact: String?, capturedHeight: Int64?, error: String?) {
        guard let index = history.lastIndex(where: { $0.state == .pending }) else { return }
        history[index].state = state
        history[index].artifact = artifact
        history[index].capturedHeight = capturedHeight
        history[index].error = error
    }
}

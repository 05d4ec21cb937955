import Infrastructure
import Foundation

/// The schedule as a JSON document, in the scheduling design's field names: what `ScheduleStore`
/// keeps on disk, and what the API and `shots schedule --json` answer with.
public enum ScheduleDocument {
    public static func encode(_ schedule: SnapshotSchedule) -> Data {
        JSONWriter().data(.object([
            "next_snapshot_request_id": .integer(schedule.nextID),
            "requests": .array(schedule.requests.map { .object(json($0)) }),
            "snapshots": .array(schedule.history.map { .object(json($0)) }),
        ]))
    }

    /// A request as the design answers it (`snapshot_request_id`, `block_spacing`, ...).
    public static func json(_ request: SnapshotRequest) -> JSONObject {
        var fields: [(String, JSONValue)] = [("snapshot_request_id", .integer(request.id)), ("block_spacing", .integer(request.spacing))]
        if let start = request.start { fields.append(("start_block_num", .integer(start))) }
        if let end = request.end { fields.append(("end_block_num", .integer(end))) }
        fields.append(("snapshot_description", .string(request.description)))
        if let last = request.lastRequested { fields.append(("last_requested_block_num", .integer(last))) }
        return JSONObject(fields)
    }

    /// A snapshot as the design's `pending_snapshots` entries have it, with its outcome.
    public static func json(_ snapshot: ScheduledSnapshot) -> JSONObject {
        var fields: [(String, JSONValue)] = [
            ("snapshot_request_ids", .array(snapshot.requests.map { .integer($0) })), ("requested_block_num", .integer(snapshot.requestedHeight)),
            ("head_block_id", .string(snapshot.headBlockID)), ("head_block_num", .integer(snapshot.headHeight)),
            ("head_block_time", .string(snapshot.headTime)), ("state", .string(snapshot.state.rawValue)),
        ]
        if let captured = snapshot.capturedHeight { fields.append(("captured_block_num", .integer(captured))) }
        if let artifact = snapshot.artifact { fields.append(("snapshot_name", .string(artifact))) }
        if let error = snapshot.error { fields.append(("error", .string(error))) }
        if !snapshot.skippedHeights.isEmpty { fields.append(("skipped_block_nums", .array(snapshot.skippedHeights.map { .integer($0) }))) }
        return JSONObject(fields)
    }

    /// Reads a schedule file's bytes; `origin` names the file in errors.
    public static func decode(_ data: Data, origin: String) throws(Problem) -> SnapshotSchedule {
        let document: JSONValue
        do { document = try JSONParser.parse(data) } catch { throw Problem(origin: origin, reason: "not JSON: \(error)") }
        let fields = Fields(document, origin: origin, path: "")
        let requests = try fields.objects("requests").map { (item: Fields) throws(Problem) in
            let request = SnapshotRequest(id: try item.integer("snapshot_request_id"), spacing: try item.integer("block_spacing"),
                                          start: try item.optionalInteger("start_block_num"), end: try item.optionalInteger("end_block_num"),
                                          description: try item.string("snapshot_description"), lastRequested: try item.optionalInteger("last_requested_block_num"))
            // A schedule edited by hand meets the rules a new request meets.
            do throws(Problem) { try SnapshotRequest.check(spacing: request.spacing, start: request.start, end: request.end) } catch {
                throw Problem(origin: origin, reason: "\(item.path)\(error.origin): \(error.reason)")
            }
            return request
        }
        let history = try fields.objects("snapshots").map { (item: Fields) throws(Problem) in
            guard let state = ScheduledSnapshot.State(rawValue: try item.string("state")) else {
                throw Problem(origin: origin, reason: "\(item.path)state: expected pending, done or failed")
            }
            return ScheduledSnapshot(requests: try item.integers("snapshot_request_ids"), requestedHeight: try item.integer("requested_block_num"),
                                     headBlockID: try item.string("head_block_id"), headHeight: try item.integer("head_block_num"),
                                     headTime: try item.string("head_block_time"), capturedHeight: try item.optionalInteger("captured_block_num"),
                                     artifact: try item.optionalString("snapshot_name"), state: state, error: try item.optionalString("error"),
                                     skippedHeights: item.has("skipped_block_nums") ? try item.integers("skipped_block_nums") : [])
        }
        return SnapshotSchedule(requests: requests, history: history, nextID: try fields.integer("next_snapshot_request_id"))
    }

    /// One object's fields, read with errors that name the file and the field.
    private struct Fields {
        let value: JSONValue
        let origin: String
        let path: String

        init(_ value: JSONValue, origin: String, path: String) { (self.value, self.origin, self.path) = (value, origin, path) }

        func has(_ name: String) -> Bool { value[name] != nil }

        private func fail(_ name: String, _ expected: String) -> Problem {
            Problem(origin: origin, reason: "\(path)\(name): expected \(expected), found \(value[name]?.kindDescription ?? "nothing")")
        }

        func integer(_ name: String) throws(Problem) -> Int64 {
            guard case .integer(let number)? = value[name] else { throw fail(name, "an integer") }
            return number
        }

        func optionalInteger(_ name: String) throws(Problem) -> Int64? { has(name) ? try integer(name) : nil }

        func string(_ name: String) throws(Problem) -> String {
            guard case .string(let text)? = value[name] else { throw fail(name, "a string") }
            return text
        }

        func optionalString(_ name: String) throws(Problem) -> String? { has(name) ? try string(name) : nil }

        func integers(_ name: String) throws(Problem) -> [Int64] {
            guard case .array(let items)? = value[name] else { throw fail(name, "a list of integers") }
            var numbers: [Int64] = []
            for item in items {
                guard case .integer(let number) = item else { throw fail(name, "a list of integers") }
                numbers.append(number)
            }
            return numbers
        }

        func objects(_ name: String) throws(Problem) -> [Fields] {
            guard case .array(let items)? = value[name] else { throw fail(name, "a list") }
            var result: [Fields] = []
            for (index, item) in items.enumerated() {
                guard case .object = item else { throw Problem(origin: origin, reason: "\(path)\(name)[\(index)]: expected an object, found \(item.kindDescription)") }
                result.append(Fields(item, origin: origin, path: "\(path)\(name)[\(index)]."))
            }
            return result
        }
    }
}

import Infrastructure
import Foundation

/// The HTTP API of the snapshot-scheduling design, without the HTTP: a method, a path and a body
/// in, a status and a JSON document out. The daemon serves it; tests call it directly too.
///
/// The design is not consistent with itself, so this accepts `start_block_num`,
/// `start_block_number` and `start_block` (and the same for the end), heights as JSON numbers or
/// strings of digits, and an empty body (or a GET) as "once, as soon as possible"; it answers with
/// the `*_num` names and its swagger's status codes (201 for a scheduled request).
public enum ScheduleAPI {
    public struct Answer: Sendable {
        public var status: Int
        public var body: JSONValue
    }

    public static let prefix = "/v1/producer/"
    /// Bodies larger than this are refused (400) before they are parsed.
    public static let bodyLimit = 64 << 10

    public static func answer(method: String, path: String, body: Data, store: ScheduleStore) -> Answer {
        guard path.hasPrefix(prefix) else { return error(404, "not_found", "no such endpoint: \(path)") }
        let endpoint = String(path.dropFirst(prefix.count))
        guard ["schedule_snapshot", "get_snapshot_requests", "get_snapshot_request_status", "unschedule_snapshot"].contains(endpoint) else {
            return error(404, "not_found", "no such endpoint: \(path)")
        }
        guard method == "POST" || (method == "GET" && endpoint == "schedule_snapshot") else {
            return error(405, "method_not_allowed", "\(endpoint) takes POST")
        }
        do throws(Problem) {
            guard body.count <= bodyLimit else { throw Problem(origin: "body", reason: "larger than \(bodyLimit >> 10) KiB") }
            let fields = try Fields(body)
            switch endpoint {
            case "schedule_snapshot":
                let spacing = try fields.height(["block_spacing"]) ?? 0
                let start = try fields.height(["start_block_num", "start_block_number", "start_block"])
                let end = try fields.height(["end_block_num", "end_block_number", "end_block"])
                let description = try fields.text("snapshot_description") ?? ""
                let request = try store.update { (schedule: inout SnapshotSchedule) throws(Problem) in
                    try schedule.add(spacing: spacing, start: start, end: end ?? (spacing == 0 ? start : nil), description: description)
                }
                return Answer(status: 201, body: .object(ScheduleDocument.json(request)))
            case "get_snapshot_requests":
                let from = try fields.height(["start_snapshot_request_id"]) ?? 0
                let limit = try fields.height(["limit"]) ?? 100
                guard limit >= 1 else { throw Problem(origin: "limit", reason: "expected 1 or more, found \(limit)") }
                let schedule = try store.read()
                let page = schedule.page(from: from, limit: Int(min(limit, 1000)))
                var answer: [(String, JSONValue)] = [("snapshot_requests", .array(page.requests.map { .object(status(of: $0, in: schedule)) }))]
                if let next = page.next { answer.append(("next_request_id", .integer(next))) }
                return Answer(status: 200, body: .object(JSONObject(answer)))
            case "get_snapshot_request_status":
                let id = try fields.requiredID()
                let schedule = try store.read()
                if let request = schedule.requests.first(where: { $0.id == id }) { return Answer(status: 200, body: .object(status(of: request, in: schedule))) }
                let snapshots = schedule.snapshots(of: id)
                guard !snapshots.isEmpty else { throw Problem(origin: "snapshot_request_id", reason: "no request \(id)") }
                // A finished one-shot request left the schedule; its snapshots stay in the history.
                return Answer(status: 200, body: .object(JSONObject([
                    ("snapshot_request_id", .integer(id)), ("finished", .bool(true)), ("pending_snapshots", .array([])),
                    ("snapshots", .array(snapshots.map { .object(ScheduleDocument.json($0)) })),
                ])))
            default:
                let id = try fields.requiredID()
                let request = try store.update { (schedule: inout SnapshotSchedule) throws(Problem) in try schedule.cancel(id) }
                return Answer(status: 200, body: .object(ScheduleDocument.json(request)))
            }
        } catch {
            return self.error(400, "invalid_request", error.description)
        }
    }

    /// A request with its pending snapshots, as get_snapshot_request_status answers it.
    static func status(of request: SnapshotRequest, in schedule: SnapshotSchedule) -> JSONObject {
        var fields = ScheduleDocument.json(request)
        let snapshots = schedule.snapshots(of: request.id)
        fields["pending_snapshots"] = .array(snapshots.filter { $0.state == .pending }.map { .object(ScheduleDocument.json($0)) })
        fields["snapshots"] = .array(snapshots.map { .object(ScheduleDocument.json($0)) })
        return fields
    }

    /// The design's error shape: a code, a message, and what went wrong.
    static func error(_ status: Int, _ name: String, _ what: String) -> Answer {
        let message = status == 400 ? "Bad Request" : status == 404 ? "Not Found" : "Method Not Allowed"
        return Answer(status: status, body: .object(JSONObject([
            ("code", .integer(Int64(status))), ("message", .string(message)),
            ("error", .object(JSONObject([("name", .string(name)), ("what", .string(what)), ("details", .array([.object(["message": .string(what)])]))]))),
        ])))
    }

    /// A request body's fields: an empty body is an empty object.
    private struct Fields {
        let object: JSONObject

        init(_ body: Data) throws(Problem) {
            guard !body.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { object = JSONObject(); return }
            let value: JSONValue
            do { value = try JSONParser.parse(body) } catch { throw Problem(origin: "body", reason: "not JSON: \(error)") }
            guard case .object(let object) = value else { throw Problem(origin: "body", reason: "expected a JSON object, found \(value.kindDescription)") }
            self.object = object
        }

        /// A height or count under any of `names`: a whole number, as JSON or as a string of digits.
        /// Each name given must hold one, and all the same.
        func height(_ names: [String]) throws(Problem) -> Int64? {
            var found: (name: String, value: Int64)?
            for name in names {
                guard let value = object[name] else { continue }
                let number = try height(name, value)
                if let found, found.value != number { throw Problem(origin: name, reason: "\(number) disagrees with \(found.name) \(found.value)") }
                found = (name, number)
            }
            return found?.value
        }

        private func height(_ name: String, _ value: JSONValue) throws(Problem) -> Int64 {
            switch value {
            case .integer(let number) where number >= 0: return number
            case .string(let text) where !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber):
                guard let number = Int64(text) else { throw Problem(origin: name, reason: "too large: \(Problem.quoted(text))") }
                return number
            default: throw Problem(origin: name, reason: "expected a block number (0 or more, a JSON number or a string of digits), found \(value.kindDescription == "an integer" ? "a negative number" : value.kindDescription)")
            }
        }

        func requiredID() throws(Problem) -> Int64 {
            guard let id = try height(["snapshot_request_id"]) else { throw Problem(origin: "snapshot_request_id", reason: "missing") }
            return id
        }

        func text(_ name: String) throws(Problem) -> String? {
            guard let value = object[name] else { return nil }
            guard case .string(let text) = value else { throw Problem(origin: name, reason: "expected a string, found \(value.kindDescription)") }
            return text
        }
    }
}

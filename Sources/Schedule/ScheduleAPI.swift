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
        do throws(Refusal) {
            guard body.count <= bodyLimit else { throw Refusal(Problem(origin: "body", reason: "larger than \(bodyLimit >> 10) KiB")) }
            let fields = try Refusal.ofRequest { () throws(Problem) in try Fields(body) }
            switch endpoint {
            case "schedule_snapshot":
                let (spacing, start, end, description) = try Refusal.ofRequest { () throws(Problem) in
                    (try fields.height(["block_spacing"]) ?? 0, try fields.height(["start_block_num", "start_block_number", "start_block"]),
                     try fields.height(["end_block_num", "end_block_number", "end_block"]), try fields.text("snapshot_description") ?? "")
                }
                let request = try change(store) { (schedule: inout SnapshotSchedule) throws(Problem) in
                    try schedule.add(spacing: spacing, start: start, end: end ?? (spacing == 0 ? start : nil), description: description)
                }
                return Answer(status: 201, body: .object(ScheduleDocument.json(request)))
            case "get_snapshot_requests":
                let (from, limit) = try Refusal.ofRequest { () throws(Problem) in
                    let limit = try fields.height(["limit"]) ?? 100
                    guard limit >= 1 else { throw Problem(origin: "limit", reason: "expected 1 or more, found \(limit)") }
                    return (try fields.height(["start_snapshot_request_id"]) ?? 0, limit)
                }
                let schedule = try read(store)
                let page = schedule.page(from: from, limit: Int(min(limit, 1000)))
                var answer: [(String, JSONValue)] = [("snapshot_requests", .array(page.requests.compactMap { status(ofRequest: $0.id, in: schedule).map(JSONValue.object) }))]
                if let next = page.next { answer.append(("next_request_id", .integer(next))) }
                return Answer(status: 200, body: .object(JSONObject(answer)))
            case "get_snapshot_request_status":
                let id = try Refusal.ofRequest { () throws(Problem) in try fields.requiredID() }
                guard let answer = status(ofRequest: id, in: try read(store)) else {
                    throw Refusal(Problem(origin: "snapshot_request_id", reason: "no request \(id)"))
                }
                return Answer(status: 200, body: .object(answer))
            default:
                let id = try Refusal.ofRequest { () throws(Problem) in try fields.requiredID() }
                let request = try change(store) { (schedule: inout SnapshotSchedule) throws(Problem) in try schedule.cancel(id) }
                return Answer(status: 200, body: .object(ScheduleDocument.json(request)))
            }
        } catch {
            return self.error(error.status, error.status == 400 ? "invalid_request" : "schedule_unavailable", error.problem.description)
        }
    }

    /// A request and the snapshots it asked for, as get_snapshot_request_status and `shots schedule
    /// status` show it; nil for an id never seen. A request that has left the schedule (a finished
    /// one-shot, or cancelled) is `finished` once none of its snapshots is still pending.
    public static func status(ofRequest id: Int64, in schedule: SnapshotSchedule) -> JSONObject? {
        let snapshots = schedule.snapshots(of: id)
        let pending = snapshots.filter { $0.state == .pending }
        var fields: JSONObject
        if let request = schedule.requests.first(where: { $0.id == id }) {
            fields = ScheduleDocument.json(request)
        } else {
            guard !snapshots.isEmpty else { return nil }
            fields = JSONObject([("snapshot_request_id", .integer(id)), ("finished", .bool(pending.isEmpty))])
        }
        fields["pending_snapshots"] = .array(pending.map { .object(ScheduleDocument.json($0)) })
        fields["snapshots"] = .array(snapshots.map { .object(ScheduleDocument.json($0)) })
        return fields
    }

    /// Why a call was refused: the request's fault (400), or the schedule's file could not be read
    /// or written (500).
    private struct Refusal: Error {
        let status: Int
        let problem: Problem

        init(_ problem: Problem, status: Int = 400) { (self.problem, self.status) = (problem, status) }

        static func ofRequest<Result>(_ work: () throws(Problem) -> Result) throws(Refusal) -> Result {
            do throws(Problem) { return try work() } catch { throw Refusal(error) }
        }
    }

    private static func read(_ store: ScheduleStore) throws(Refusal) -> SnapshotSchedule {
        do throws(Problem) { return try store.read() } catch { throw Refusal(error, status: 500) }
    }

    /// `store.update`: a problem `change` finds is the request's, any other the store's. A refused
    /// change leaves the schedule as it was, and unwritten.
    private static func change<Result>(_ store: ScheduleStore, _ change: (inout SnapshotSchedule) throws(Problem) -> Result) throws(Refusal) -> Result {
        var refused: Problem?
        let result: Result?
        do throws(Problem) {
            result = try store.update { (schedule: inout SnapshotSchedule) throws(Problem) -> Result? in
                var changed = schedule
                do throws(Problem) {
                    let result = try change(&changed)
                    schedule = changed
                    return result
                } catch {
                    refused = error
                    return nil
                }
            }
        } catch { throw Refusal(error, status: 500) }
        guard let result else { throw Refusal(refused!) }
        return result
    }

    /// The design's error shape: a code, a message, and what went wrong.
    public static func error(_ status: Int, _ name: String, _ what: String) -> Answer {
        let message = [400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"][status] ?? "Internal Server Error"
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

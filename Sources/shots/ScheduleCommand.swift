import ArgumentParser
import Infrastructure
import Foundation
import Schedule

/// `shots schedule`: snapshot requests by block height, kept in a schedule file that `shots
/// daemon` follows (the Antelope/Leap snapshot-scheduling design's rules).
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Schedule snapshots by block height: at a height, or every N blocks from a start until an end.",
        discussion: """
            Requests are kept in a JSON file (--schedule, default $SHOTS_SCHEDULE or \
            shots-schedule.json), changed under a lock and replaced whole, so a process killed at any \
            moment never loses or duplicates one. No start means as soon as possible (the first head \
            the daemon sees); no end means until cancelled; no spacing means once, after which the \
            request leaves the schedule while its snapshots stay listed in `status`. A recurring \
            request fires at heights aligned to its start (start + k·N), also after a restart. A \
            request identical to an active one is refused; requests landing on one block share one \
            snapshot.

            Examples:
              shots schedule add --at 5000000 --description "before the protocol upgrade"
              shots schedule add --every 10000 --start 5000000
              shots schedule list
              shots schedule status 3
              shots schedule cancel 3
            """,
        subcommands: [Add.self, List.self, Status.self, Cancel.self]
    )

    /// Where the schedule is kept, for every subcommand.
    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("The schedule file (default: $SHOTS_SCHEDULE, else shots-schedule.json).", valueName: "file"))
        var schedule: String?

        var store: ScheduleStore {
            ScheduleStore(path: schedule ?? ProcessInfo.processInfo.environment["SHOTS_SCHEDULE"].flatMap { $0.isEmpty ? nil : $0 } ?? "shots-schedule.json")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a request; prints it with its id.")

        @Option(help: "One snapshot at this height.")
        var at: Int64?
        @Option(help: "A snapshot every N blocks.")
        var every: Int64?
        @Option(help: "With --every: the first height (default: as soon as possible).")
        var start: Int64?
        @Option(help: "With --every: the last height (default: until cancelled).")
        var end: Int64?
        @Option(help: "What it is for, shown in list and status.")
        var description = ""
        @OptionGroup var location: Location
        @Flag(help: "Print the request as JSON.") var json = false

        func validate() throws {
            if at != nil, every != nil || start != nil || end != nil { throw ValidationError("--at: one height; --every, --start and --end make a recurring request") }
            if every == nil, start != nil || end != nil { throw ValidationError("--start/--end: only with --every (--at for one height)") }
            if let every, every < 1 { throw ValidationError("--every: expected a number of blocks (1 or more), found \(every)") }
        }

        func run() throws {
            let request: SnapshotRequest
            do throws(Problem) {
                request = try location.store.update { (schedule: inout SnapshotSchedule) throws(Problem) in
                    try schedule.add(spacing: every ?? 0, start: at ?? start, end: at ?? end, description: description)
                }
            } catch { throw fail(error) }
            print(json ? String(decoding: JSONWriter().data(.object(ScheduleDocument.json(request))), as: UTF8.self) : "added \(ScheduleCommand.line(request))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The scheduled requests, by id.")
        @Option(help: "The first id to list.") var from: Int64 = 0
        @Option(help: "At most this many.") var limit = 100
        @OptionGroup var location: Location
        @Flag(help: "Print the page as JSON (requests and next_request_id).") var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit: expected 1 or more, found \(limit)") }
        }

        func run() throws {
            let page: (requests: [SnapshotRequest], next: Int64?)
            do throws(Problem) { page = try location.store.read().page(from: from, limit: limit) } catch { throw fail(error) }
            if json {
                var fields: [(String, JSONValue)] = [("snapshot_requests", .array(page.requests.map { .object(ScheduleDocument.json($0)) }))]
                if let next = page.next { fields.append(("next_request_id", .integer(next))) }
                print(String(decoding: JSONWriter().data(.object(JSONObject(fields))), as: UTF8.self))
                return
            }
            for request in page.requests { print(ScheduleCommand.line(request)) }
            if let next = page.next { print("more from --from \(next)") }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A request and the snapshots it asked for (also once it has finished).")
        @Argument(help: "The request's id.") var id: Int64
        @OptionGroup var location: Location
        @Flag(help: "Print it as JSON.") var json = false

        func run() throws {
            let schedule: SnapshotSchedule
            do throws(Problem) { schedule = try location.store.read() } catch { throw fail(error) }
            guard let status = ScheduleAPI.status(ofRequest: id, in: schedule) else {
                throw fail(Problem(origin: "snapshot_request_id", reason: "no request \(id) and no snapshot asked for by it"))
            }
            if json {
                print(String(decoding: JSONWriter().data(.object(status)), as: UTF8.self))
                return
            }
            let request = schedule.requests.first { $0.id == id }
            let snapshots = schedule.snapshots(of: id)
            print(request.map(ScheduleCommand.line) ?? "request \(id): " + (status["finished"] == .bool(true) ? "finished" : "its last snapshot is running"))
            for snapshot in snapshots {
                print("  \(snapshot.state.rawValue) at block \(snapshot.requestedHeight) (head \(snapshot.headHeight), captured \(snapshot.capturedHeight.map(String.init) ?? "-")) \(snapshot.artifact ?? "")\(snapshot.error.map { " error: \($0)" } ?? "")")
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a request; its snapshots stay listed.")
        @Argument(help: "The request's id.") var id: Int64
        @OptionGroup var location: Location

        func run() throws {
            let request: SnapshotRequest
            do throws(Problem) {
                request = try location.store.update { (schedule: inout SnapshotSchedule) throws(Problem) in try schedule.cancel(id) }
            } catch { throw fail(error) }
            print("cancelled \(ScheduleCommand.line(request))")
        }
    }

    static func line(_ request: SnapshotRequest) -> String {
        let when = request.spacing == 0
            ? "once at \(request.start.map { "block \($0)" } ?? "the next block")"
            : "every \(request.spacing) blocks from \(request.start.map { "block \($0)" } ?? "the next block") \(request.end.map { "to block \($0)" } ?? "until cancelled")"
        return "request \(request.id): \(when)\(request.nextHeight.map { ", next at \($0)" } ?? "")\(request.description.isEmpty ? "" : " (\(request.description))")"
    }
}

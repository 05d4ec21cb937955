import Catalog
import Infrastructure
import Foundation
import Pipeline
import Publish

/// How a run that changes a published site ends (publish, withdraw): in a dry run the plan
/// (objects written, permalinks moved, objects deleted), else a table of steps, objects, sizes,
/// times and throughput; and the `--json` summary.
enum PublishReport {
    static func show(_ summary: PublishSummary, dryRun: Bool, status: String, seconds: Double, output outputOptions: OutputOptions, json: Bool = true) {
        if dryRun {
            outputOptions.say("dry run: nothing was written. The plan:")
            let moved = Set(summary.permalinkMoves.map { "\($0.store)/\($0.key)" })
            for object in summary.written where !moved.contains("\(object.store)/\(object.key)") {
                outputOptions.say("  write \(object.store)/\(object.key)")
            }
            for move in summary.permalinkMoves {
                outputOptions.say("  move  \(move.store)/\(move.key): \(move.from ?? "(none)") -> \(move.to)")
            }
            for object in summary.deleted { outputOptions.say("  delete \(object.store)/\(object.key)") }
        } else {
            var rows = [["step", "objects", "size", "time", "throughput"]]
            for step in summary.steps {
                let rate = step.seconds > 0 && step.bytes > 0 ? PackProgress.size(Int64(Double(step.bytes) / step.seconds)) + "/s" : "-"
                rows.append([step.name, String(step.objects), PackProgress.size(step.bytes), String(format: "%.2f s", step.seconds), rate])
            }
            let total = summary.written.reduce(Int64(0)) { $0 + $1.bytes }
            rows.append(["total", String(summary.written.count), PackProgress.size(total), String(format: "%.2f s", seconds), "-"])
            let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                outputOptions.say(zip(row, widths).enumerated().map { index, cell in
                    index == 0 ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
                }.joined(separator: "  "))
            }
        }
        guard json else { return }
        outputOptions.emit(.object([
            "status": .string(dryRun ? "planned" : status),
            "artifact": summary.artifact.map { .string($0.filename) } ?? .null,
            "base_json_retries": .integer(Int64(summary.baseRetries)),
            "steps": .array(summary.steps.map { step in
                .object(["name": .string(step.name), "seconds": .number(String(format: "%.3f", step.seconds)), "objects": .integer(Int64(step.objects)),
                         "bytes": .integer(step.bytes), "detail": .string(step.detail)])
            }),
            "permalinks": .array(summary.permalinkMoves.map { move in
                .object(["store": .string(move.store), "key": .string(move.key), "from": move.from.map(JSONValue.string) ?? .null, "to": .string(move.to)])
            }),
            "written": .array(summary.written.map { .object(["store": .string($0.store), "key": .string($0.key), "bytes": .integer($0.bytes)]) }),
            "deleted": .array(summary.deleted.map { .object(["store": .string($0.store), "key": .string($0.key)]) }),
        ]))
    }
}

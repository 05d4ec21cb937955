import ArgumentParser
import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation
import Pipeline
import Publish

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Keep the newest artifacts of each kind and remove the rest, and what failed runs left behind.",
        discussion: """
            Per network and kind, newest first: the newest always stays, then any beyond --keep N \
            or whose block is older than --max-age goes (default: retention: in site.yml, for every \
            network or per network). Never a permalink's target, nor an artifact published within \
            the grace period (--grace, default 1d: downloads in flight, and an artifact another \
            publisher just added). What goes leaves in an order that never exposes a dangling link: \
            out of base.json (a conditional write), the site published without it, then its objects. \
            Leftovers older than the grace period go too: sidecars whose artifact is gone, artifacts \
            whose .json never came, unfinished uploads. --dry-run lists what would go and the space \
            freed. The stores and their flags are publish's.

            Examples:
              shots prune --keep 4 --dry-run
              shots prune --max-age 7d --store s3://{network}.xtz-shots.io --site-store s3://xtz-shots.io --signing-key /secrets/shots.key
            """
    )

    @Option(help: "Keep the newest N of each kind (the snapshot warmer keeps 4, polkashots 2).")
    var keep: Int?

    @Option(help: ArgumentHelp("Remove artifacts whose block is older than this, e.g. 7d.", valueName: "duration"))
    var maxAge: String?

    @Option(help: ArgumentHelp("Never remove what was published less than this long ago.", valueName: "duration"))
    var grace = "1d"

    @Flag(help: "List what would go and the space freed; write and delete nothing.")
    var dryRun = false

    @OptionGroup var siteOptions: SiteOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var stores: StoreSelection
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        let given = Retention(keep: keep, maxAge: maxAge)
        if let problem = given.problem { throw ValidationError("--" + problem.replacingOccurrences(of: "max_age", with: "max-age")) }
        guard DurationText.seconds(grace) != nil else { throw ValidationError("--grace: expected \(DurationText.expectation), found \"\(grace)\"") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let scratch = ScratchFolder(verb: "prune")
        defer { scratch.remove() }
        let started = Date()
        let result: (PublishSummary, Pruning.Plan)
        do throws(Problem) {
            let request = try stores.catalogsRequest(site: siteOptions, signing: signing, scratch: scratch.path, dryRun: dryRun, environment: environment)
            let retention = keep == nil && maxAge == nil ? nil : Retention(keep: keep, maxAge: maxAge)
            result = try Pruning.run(Pruning.Request(retention: retention, graceSeconds: DurationText.seconds(grace) ?? 86_400), request, log: { line in
                if line.hasPrefix("warning:") { standardError(line) } else if outputOptions.verbose || !dryRun { outputOptions.say(line) }
            })
        } catch {
            throw fail(error)
        }
        let (summary, plan) = result
        let rows = plan.pruned.map { ["prune", "\($0.store)/\($0.key)", PackProgress.size($0.bytes), $0.reason] }
            + plan.leftovers.map { ["leftover", "\($0.store)/\($0.key)", PackProgress.size($0.bytes), $0.reason] }
            + plan.spared.map { ["spare", "\($0.store)/\($0.key)", PackProgress.size($0.bytes), $0.reason] }
        if !rows.isEmpty { outputOptions.say(PlainTable.render([["action", "object", "size", "why"]] + rows)) }
        outputOptions.say("\(dryRun ? "would free" : "freed") \(PackProgress.size(plan.freedBytes)): \(plan.pruned.count) artifacts, \(plan.leftovers.count) leftovers")
        if !dryRun, !summary.steps.isEmpty {
            PublishReport.show(summary, dryRun: false, status: "pruned", seconds: Date().timeIntervalSince(started), output: outputOptions, json: false)
        }
        func items(_ list: [Pruning.Plan.Item]) -> JSONValue {
            .array(list.map { .object(["store": .string($0.store), "key": .string($0.key), "bytes": .integer($0.bytes), "reason": .string($0.reason)]) })
        }
        outputOptions.emit(.object([
            "status": .string(dryRun ? "planned" : "pruned"),
            "freed_bytes": .integer(plan.freedBytes),
            "pruned": items(plan.pruned), "leftovers": items(plan.leftovers), "spared": items(plan.spared),
            "permalinks": .array(summary.permalinkMoves.map { move in
                .object(["store": .string(move.store), "key": .string(move.key), "from": move.from.map(JSONValue.string) ?? .null, "to": .string(move.to)])
            }),
        ]))
    }
}

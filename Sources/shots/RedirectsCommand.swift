import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Publish

struct RedirectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redirects",
        abstract: "Make the pages and permalinks again from the stores' catalogs, writing only what changed.",
        discussion: """
            What an operator runs after changing a catalog by hand (an artifact pulled from a \
            base.json) or a theme: every network's catalog is read from its store, the site is \
            built, tezos-snapshots.json and the pages that changed are uploaded, then each \
            permalink whose target changed is moved, only to an object confirmed complete (HEAD: \
            present, of the size its metadata gives). Nothing else is written. The stores, the \
            flags that reach them and the defaults from site.yml are publish's.

            Examples:
              shots redirects --dry-run                      # the stores site.yml names
              shots redirects --store s3://{network}.xtz-shots.io --site-store s3://xtz-shots.io --signing-key /secrets/shots.key
            """
    )

    @Flag(help: "Print the permalinks that would move (current and new target) and the pages that would change; write nothing.")
    var dryRun = false

    @OptionGroup var siteOptions: SiteOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var stores: StoreSelection
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let scratch = ScratchFolder(verb: "redirects")
        defer { scratch.remove() }
        let summary: PublishSummary
        do throws(Problem) {
            let request = try stores.catalogsRequest(site: siteOptions, signing: signing, scratch: scratch.path, dryRun: dryRun, environment: environment)
            summary = try Publisher.run(request, log: { line in
                if line.hasPrefix("warning:") { standardError(line) } else if outputOptions.verbose { outputOptions.say(line) }
            })
        } catch {
            throw fail(error)
        }
        let moves = summary.permalinkMoves
        if moves.isEmpty {
            outputOptions.say("every permalink already leads where the catalogs say")
        } else {
            outputOptions.say(PlainTable.render([["permalink", "current target", "new target"]]
                + moves.map { ["\($0.store)/\($0.key)", $0.from ?? "(none)", $0.to] }))
        }
        let moved = Set(moves.map { "\($0.store)/\($0.key)" })
        let pages = summary.written.filter { !moved.contains("\($0.store)/\($0.key)") }
        outputOptions.say("\(dryRun ? "would move" : "moved") \(moves.count) permalinks; \(pages.count) pages and catalog files \(dryRun ? "would change" : "changed")")
        outputOptions.emit(.object([
            "status": .string(dryRun ? "planned" : "done"),
            "permalinks": .array(moves.map { move in
                .object(["store": .string(move.store), "key": .string(move.key), "from": move.from.map(JSONValue.string) ?? .null, "to": .string(move.to)])
            }),
            "written": .array(pages.map { .object(["store": .string($0.store), "key": .string($0.key)]) }),
        ]))
    }
}

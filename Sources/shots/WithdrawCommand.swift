import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Publish

struct WithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Pull bad artifacts: permalinks move to the next-best first, then the catalogs, pages and objects change.",
        discussion: """
            In this order, as named, timed steps: the withdrawal is recorded with its reason in the \
            network store's shots/withdrawn.json (so no later merge brings the artifact back from a \
            leftover .json); the artifact is taken out of base.json (written only if unchanged since \
            read, as publish writes it); the site is published from the catalogs without it, each \
            permalink moving to the next-best artifact of its kind, and one with none left removed; \
            then the artifact's objects are deleted (the artifact, .sha256, .sha256.minisig, .json \
            last), or kept with --keep-objects. At no moment does a page or a permalink lead to a \
            missing object. The stores and their flags are publish's.

            Examples:
              shots withdraw tezos-mainnet-rolling-tarball-5250000.lz4 --reason "corrupt context" --dry-run
              shots withdraw mainnet-5250000.rolling --reason "exported from a forked node" --signing-key /secrets/shots.key
            """
    )

    @Argument(help: ArgumentHelp("The artifacts' filenames, as their metadata names them.", valueName: "filename"))
    var filenames: [String]

    @Option(help: "Why: recorded with the withdrawal, for operators and users who ask.")
    var reason: String

    @Flag(help: "Leave the artifacts' objects in the store; only catalogs, pages and permalinks change.")
    var keepObjects = false

    @Flag(help: "Print the plan (objects to write and delete, permalinks to move) and write nothing.")
    var dryRun = false

    @OptionGroup var siteOptions: SiteOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var stores: StoreSelection
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard !filenames.isEmpty else { throw ValidationError("Name at least one artifact to withdraw.") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty, TextForm.prose.accepts(reason) else {
            throw ValidationError("--reason: expected one line of plain text saying why")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let scratch = ScratchFolder(verb: "withdraw")
        defer { scratch.remove() }
        let started = Date()
        let summary: PublishSummary
        do throws(Problem) {
            let request = try stores.catalogsRequest(site: siteOptions, signing: signing, scratch: scratch.path, dryRun: dryRun, environment: environment)
            summary = try Withdrawal.run(Withdrawal.Request(filenames: filenames, reason: reason, keepObjects: keepObjects), request, log: { line in
                if line.hasPrefix("warning:") { standardError(line) } else { outputOptions.say(line) }
            })
        } catch {
            throw fail(error)
        }
        PublishReport.show(summary, dryRun: dryRun, status: "withdrawn", seconds: Date().timeIntervalSince(started), output: outputOptions)
    }
}

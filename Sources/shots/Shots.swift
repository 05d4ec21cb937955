import ArgumentParser
import Catalog
import Foundation

@main
struct Shots: ParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "shots",
        abstract: "Publish blockchain node snapshots: metadata catalogs, checksums, permalinks.",
        discussion: """
            Exit status: 0 done, 1 failed (nothing written), 2 done but some inputs were rejected \
            (listed on standard error).
            """,
        version: "shots \(ShotsVersion.current)",
        subcommands: [PackCommand.self, KeygenCommand.self, MergeCommand.self, CatalogCommand.self, BuildCommand.self, PublishCommand.self, RedirectsCommand.self, WithdrawCommand.self, PruneCommand.self, ServeCommand.self]
    )

    /// Usage mistakes exit 1 like every other failure: 2 means "done with rejects" here.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let reason = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                let verb = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? ""
                standardError("error: \(reason) (see 'shots \(verb.isEmpty ? "" : verb + " ")--help')")
                Foundation.exit(ExitCode.failure.rawValue)
            }
            exit(withError: error)
        }
    }
}

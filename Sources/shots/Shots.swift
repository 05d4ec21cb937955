import ArgumentParser
import Catalog
import Infrastructure
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
        subcommands: [PackCommand.self, KeygenCommand.self, MergeCommand.self, CatalogCommand.self, BuildCommand.self, PublishCommand.self, RedirectsCommand.self, WithdrawCommand.self, PruneCommand.self, ServeCommand.self, VerifyCommand.self, RestoreCommand.self, ScheduleCommand.self, DaemonCommand.self]
    )

    /// Usage mistakes exit 1 like every other failure: 2 means "done with rejects" here.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let reason = oneLine(message(for: error))
                let verb = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? ""
                standardError("error: \(reason) (see 'shots \(verb.isEmpty ? "" : verb + " ")--help')")
                Foundation.exit(ExitCode.failure.rawValue)
            }
            exit(withError: error)
        }
    }

    /// The parser's message on one line: its first line, and the values it lists below that
    /// ("one of the following:" and a line each) after it.
    private static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first else { return "invalid arguments" }
        let values = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { "'\($0.dropFirst(2))'" }
        return values.isEmpty ? first : first + " " + values.joined(separator: ", ")
    }
}

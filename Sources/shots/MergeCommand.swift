import ArgumentParser
import Catalog
import Infrastructure
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge per-artifact metadata into a network's base.json.",
        discussion: """
            Each SOURCE is a folder of per-artifact <filename>.json files (base.json and \
            tezos-snapshots.json in it are ignored), an existing base.json, or one artifact's JSON. \
            Every valid artifact appears once (keyed by filename), sorted by network, artifact type, \
            history mode, block height and filename. The output is replaced atomically.

            Invalid inputs are listed on standard error as "file: reason"; the valid ones are still \
            merged and the exit status is 2. An artifact in an input base.json is never dropped: an \
            invalid entry there, or the same filename with different metadata, stops the merge \
            with nothing written.

            Examples:
              shots merge bucket/ -o base.json
              shots merge old/base.json new-artifacts/ -o base.json --prefer newer
              shots merge --into base.json bucket/        # read only files not yet in base.json
              shots merge --strict --json incoming/ -o base.json
            """
    )

    @Argument(help: "Folders of per-artifact JSON, base.json files, or artifact JSON files.")
    var sources: [String]

    @Option(name: .shortAndLong, help: "The base.json to write (default: the --into file).")
    var output: String?

    @Option(help: ArgumentHelp("An existing base.json to extend; folder files already in it are not read.", valueName: "base.json"))
    var into: String?

    @Option(help: ArgumentHelp("Resolve a filename conflict by keeping the newer block_timestamp.", valueName: "newer"))
    var prefer: Preference?

    @Flag(help: "Write nothing and exit 1 if any input is invalid.")
    var strict = false

    @OptionGroup var outputOptions: OutputOptions

    enum Preference: String, ExpressibleByArgument {
        case newer
    }

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("Name at least one SOURCE folder or file.") }
        guard output != nil || into != nil else {
            throw ValidationError("Say where to write: -o/--output base.json, or --into base.json.")
        }
    }

    func run() throws {
        let destination = output ?? into!
        // Read, merge and write under one lock: concurrent merges into one base.json take turns
        // and each sees the others' artifacts, instead of the last writer dropping them.
        let lock: FileLock
        do throws(Problem) { lock = try FileLock(beside: destination, waiting: { outputOptions.say($0) }) } catch { throw fail(error) }
        defer { withExtendedLifetime(lock) {} }
        let result: MergedCatalog
        do throws(MergeFailure) {
            result = try merge(MergeRequest(sources: sources, into: into, preferNewer: prefer == .newer, replacing: destination))
        } catch {
            throw fail(error)
        }
        outputOptions.warn(result.warnings)
        outputOptions.reject(result.rejects)
        if strict, !result.rejects.isEmpty {
            throw fail("nothing written: \(result.rejects.count) input(s) rejected and --strict is set")
        }
        do { try AtomicFile.write(result.catalog.encoded(), to: destination) } catch { throw fail(error) }

        outputOptions.say(
            "\(destination): \(result.catalog.count) artifacts (\(result.added) new, \(result.replaced) replaced) "
                + "from \(result.filesRead) file\(result.filesRead == 1 ? "" : "s")" + (result.rejects.isEmpty ? "" : "; \(result.rejects.count) rejected"))
        if outputOptions.verbose, result.catalog.count > 0 {
            outputOptions.say(CatalogTable.artifacts(result.catalog.artifacts))
            outputOptions.say(CatalogTable.permalinks(result.catalog.artifacts))
        }
        outputOptions.emit(.object([
            "status": .string(result.rejects.isEmpty ? "merged" : "merged-with-rejects"),
            "output": .string(destination),
            "artifacts": .integer(Int64(result.catalog.count)),
            "added": .integer(Int64(result.added)),
            "replaced": .integer(Int64(result.replaced)),
            "files_read": .integer(Int64(result.filesRead)),
            "rejected": .array(result.rejects.map(\.summary)),
            "warnings": .array(result.warnings.map(\.summary)),
        ]))
        if !result.rejects.isEmpty { throw doneWithRejects }
    }
}

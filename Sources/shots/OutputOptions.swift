import ArgumentParser
import Catalog
import Infrastructure
import Foundation

/// The output flags every verb shares.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print a machine-readable JSON summary on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print errors and rejects only.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also list every artifact, marking (*) those the permalinks serve.")
    var verbose = false

    /// A line for the user on standard output, unless quiet or in JSON mode.
    func say(_ line: String) {
        guard !quiet, !json else { return }
        print(line)
    }

    func warn(_ problems: [Problem]) {
        guard !quiet else { return }
        for problem in problems { standardError("warning: \(problem)") }
    }

    func reject(_ problems: [Problem]) {
        for problem in problems { standardError(problem.description) }
    }

    func emit(_ summary: JSONValue) {
        guard json else { return }
        FileHandle.standardOutput.write(JSONWriter().data(summary))
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Stops the command with a reason on standard error and exit status 1.
func fail(_ reason: CustomStringConvertible) -> ExitCode {
    standardError("error: \(reason)")
    return .failure
}

/// A failed merge: each conflict on its own line first, then the one-line reason.
func fail(_ failure: MergeFailure) -> ExitCode {
    if case .conflicts(let conflicts) = failure {
        for conflict in conflicts { standardError(conflict.description) }
    }
    return fail(failure as CustomStringConvertible)
}

extension Problem {
    var summary: JSONValue { .object(["file": .string(origin), "reason": .string(reason)]) }
}

/// Exit status 2: the work is done, but some inputs were rejected.
let doneWithRejects = ExitCode(2)

import Foundation
import TestSupport

/// `shots` running while the test does something else; `wait()` gives its run.
final class BackgroundShots {
    private let process = Process()
    private let folder: TemporaryFolder

    /// Starts `shots` with `arguments`, or `program` when given (a shell running several).
    init(_ arguments: [String], program: String? = nil) throws {
        folder = try TemporaryFolder()
        process.executableURL = program.map { URL(fileURLWithPath: $0) } ?? Shots.binary
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: try folder.write("stdout", ""))
        process.standardError = FileHandle(forWritingAtPath: try folder.write("stderr", ""))
        try process.run()
    }

    /// Sends `signal` (SIGKILL: no cleanup at all), then gives the run as `wait()` does.
    func kill(_ signal: Int32) -> ProgramRun {
        Foundation.kill(process.processIdentifier, signal)
        return wait()
    }

    func wait() -> ProgramRun {
        process.waitUntilExit()
        let read = { (name: String) in (try? String(contentsOfFile: self.folder.subpath(name), encoding: .utf8)) ?? "" }
        return ProgramRun(status: process.terminationStatus, stdout: read("stdout"), stderr: read("stderr"))
    }

    deinit { if process.isRunning { process.terminate() } }
}

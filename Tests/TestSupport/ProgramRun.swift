import Foundation

/// Where the package is, found from this file, so tests run from any working directory and reach
/// the shipped site, themes, scripts and fixtures.
public enum PackageRoot {
    public static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var path: String { url.path }

    /// A path under the package: `PackageRoot.file("site/site.yml")`.
    public static func file(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}

/// A program's exit status and output, after it ran to completion.
public struct ProgramRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        (self.status, self.stdout, self.stderr) = (status, stdout, stderr)
    }

    /// Lines of standard error, for asserting that each problem is reported on one line.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs a program to completion, the one way tests do: `input` on its standard input (else none),
/// both output pipes read at the same time so neither can fill and block it. The variables shots
/// reads for its defaults (`SOURCE_DATE_EPOCH`, `SHOTS_ORG`, `SHOTS_SIGNING_KEY`) are cleared, so
/// a developer's shell cannot change what a test sees; `environment` adds to what is left.
public func runProgram(_ program: URL, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> ProgramRun {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    for name in ["SOURCE_DATE_EPOCH", "SHOTS_ORG", "SHOTS_SIGNING_KEY"] { merged.removeValue(forKey: name) }
    merged.merge(environment) { $1 }
    process.environment = merged
    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        DispatchQueue.global().async {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
    }
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProgramRun(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
}

/// `arguments` through `/usr/bin/env`, so PATH finds python3, curl, lz4...
public func runTool(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> ProgramRun {
    try runProgram(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: environment, input: input)
}

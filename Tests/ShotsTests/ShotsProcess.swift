import Foundation

/// The built `shots` binary, run as a user runs it: arguments in, exit status and output out.
struct ShotsRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Lines of standard error, for asserting that each problem is reported on one line.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

enum Shots {
    /// The package root, found from this file so tests run from any working directory.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `SHOTS_BIN`, else the `shots` built next to this test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SHOTS_BIN"] { return URL(fileURLWithPath: path) }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("shots")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/shots")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ShotsRun {
        try runProgram(binary, arguments, environment: environment)
    }
}

/// Runs a program to completion, reading both pipes concurrently so neither can fill and block.
func runProgram(_ program: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> ShotsRun {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "SOURCE_DATE_EPOCH")
    merged.removeValue(forKey: "SHOTS_ORG")
    merged.removeValue(forKey: "SHOTS_SIGNING_KEY")
    merged.merge(environment) { $1 }
    process.environment = merged
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ShotsRun(
        status: process.terminationStatus,
        stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData, as: UTF8.self))
}

/// Runs Python's jsonschema (Draft 4) on a document; it must be installed (`make test` does).
func validateWithSchema(_ document: String) throws -> ShotsRun {
    let schema = Shots.packageRoot.appendingPathComponent("site/tezos-snapshots.schema.json").path
    let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft4Validator.check_schema(schema)
        document = json.load(open(sys.argv[2]))
        jsonschema.Draft4Validator(schema).validate(document)
        print("valid: %d artifacts" % len(document["data"]))
        """
    return try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, schema, document])
}

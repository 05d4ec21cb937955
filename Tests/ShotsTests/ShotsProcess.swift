import Foundation
import TestSupport

/// The built `shots` binary, run as a user runs it: arguments in, exit status and output out.
enum Shots {
    static let packageRoot = PackageRoot.url

    /// `SHOTS_BIN`, else the `shots` built next to this test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SHOTS_BIN"] { return URL(fileURLWithPath: path) }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("shots")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/shots")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProgramRun {
        try runProgram(binary, arguments, environment: environment)
    }
}

/// Runs Python's jsonschema (Draft 4) on a document; it must be installed (`make test` does).
func validateWithSchema(_ document: String) throws -> ProgramRun {
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

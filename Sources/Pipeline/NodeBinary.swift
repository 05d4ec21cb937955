import Infrastructure
import Foundation

/// The blockchain node's own binary (`octez-node`), run for what only it can do: export and import
/// snapshots.
public enum NodeBinary {
    /// Runs the node binary; its standard error goes to ours (the job's log), its output is returned.
    public static func run(_ binary: String, _ arguments: [String]) throws(Problem) -> Data {
        let process = Process()
        if binary.contains("/") {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [binary] + arguments
        }
        // The node gets the job's environment, less the signing key.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SHOTS_SIGNING_KEY" }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Problem(origin: binary, reason: "cannot run the node binary (set --node-bin): \(error.localizedDescription)")
        }
        // Foundation starts the node in a process group of its own, which a signal to ours (the
        // daemon stopping its job) does not reach: pass it on, and let the node clean up first.
        let running = Unchecked(process)
        let token = InterruptCleanup.register(action: {
            running.value.terminate()
            for _ in 0..<600 where running.value.isRunning { usleep(50_000) }
        })
        defer { InterruptCleanup.forget(action: token) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
            throw Problem(origin: binary, reason: "`\(binary) \(arguments.prefix(2).joined(separator: " "))` failed (\(how))")
        }
        return data
    }
}

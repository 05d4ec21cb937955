import Foundation

/// A server program the test starts on a loopback port, stopped by PID (SIGTERM) when the test
/// ends: `shots serve`, as a user runs it.
public final class ListeningProcess {
    public let port: Int
    public var origin: String { "http://127.0.0.1:\(port)" }
    private let server: ServerProcess

    /// Starts `arguments` (which must make it listen on `port`) and waits until it does.
    public init(_ arguments: [String], port: Int, environment: [String: String] = [:]) throws {
        self.port = port
        server = try ServerProcess(arguments, environment: environment)
        guard server.waitUntilListening(port: port, seconds: 20) else {
            server.stop()
            throw HarnessError("\(arguments.first ?? "") did not listen on \(port) within 20 s:\n\(server.output())")
        }
    }

    /// Starts `arguments`, a program that picks a free loopback port itself and prints it as its
    /// first line (the node stand-ins), and waits for that line.
    public init(announcingPort arguments: [String], environment: [String: String] = [:]) throws {
        server = try ServerProcess(arguments, environment: environment)
        let deadline = Date().addingTimeInterval(20)
        while true {
            let output = server.output()
            if let line = output.split(separator: "\n", omittingEmptySubsequences: false).first, output.contains("\n"), let port = Int(line) {
                self.port = port
                return
            }
            guard Date() < deadline, !server.hasExited() else {
                server.stop()
                throw HarnessError("\(arguments.joined(separator: " ")) printed no port within 20 s:\n\(output)")
            }
            usleep(20_000)
        }
    }

    public var pid: pid_t { server.pid }
    /// What it wrote to standard output and error so far (its last 8,000 characters).
    public var output: String { server.output() }
    /// Sends SIGTERM and waits for the exit (SIGKILL after 5 s); true when it ended on its own.
    public func stop() { server.stop() }
    public var hasExited: Bool { server.hasExited() }

    deinit { server.stop() }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// fault_proxy.py in front of a server on a loopback port: rules inject faults into the requests
/// that pass, and every request is logged (see the script's docstring for both formats).
public final class FaultProxy {
    public let endpoint: String
    public let port: Int
    private let folder: TemporaryFolder
    private let rulesPath: String
    private let logPath: String
    private let server: ServerProcess

    /// A proxy in front of moto; `serialize` forwards one request at a time.
    public convenience init(for moto: MotoServer, serialize: Bool = false) throws {
        try self.init(targetPort: moto.port, serialize: serialize)
    }

    public init(targetPort: Int, serialize: Bool = false) throws {
        folder = try TemporaryFolder()
        rulesPath = folder.subpath("rules.json")
        logPath = folder.subpath("log.jsonl")
        let portFile = folder.subpath("port")
        try folder.write("rules.json", "[]")
        let script = harnessScript("fault_proxy.py")
        server = try ServerProcess(
            ["python3", script, "--target", "127.0.0.1:\(targetPort)", "--port-file", portFile,
             "--rules", rulesPath, "--log", logPath] + (serialize ? ["--serialize"] : []))
        guard let port = server.waitForPortFile(portFile, seconds: 10) else {
            server.stop()
            throw HarnessError("fault_proxy.py did not start within 10 s:\n\(server.output())")
        }
        self.port = port
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit { server.stop() }

    /// Replaces the rules (a JSON list); the next request sees them, and their `nth` counts start at 1.
    public func setRules(_ json: String) throws {
        // Checked here, so that a typo fails the test that wrote it rather than a request later on.
        guard (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [Any] else {
            throw HarnessError("fault proxy rules: expected a JSON list of rules, got \(json)")
        }
        // Written to a new file and renamed over the old one: the proxy never reads half a file,
        // and sees a new file (so new counts) even when the text is the same.
        try Data(json.utf8).write(to: URL(fileURLWithPath: rulesPath), options: .atomic)
    }

    /// The requests so far, one object per request, in the order they were answered.
    public func log() throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: logPath) else { return [] }
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw HarnessError("fault proxy log: not a JSON object: \(line)")
            }
            return entry
        }
    }

    /// What the proxy printed (errors in its rules show here).
    public func output() -> String { server.output() }

    public func stop() { server.stop() }
}

/// A long-running child (moto, the fault proxy) started with posix_spawn rather than Foundation's
/// Process, so that this code alone waits for its PID: stopped with SIGTERM, then SIGKILL, and reaped.
final class ServerProcess {
    let pid: pid_t
    private let folder: TemporaryFolder
    private let outputPath: String
    private var reaped = false

    /// Runs `arguments` through /usr/bin/env, with stdout and stderr in a file (a pipe no one
    /// reads would fill and block the server).
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        folder = try TemporaryFolder()
        outputPath = folder.subpath("output.log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The test's own descriptors (sockets, pipes) must not live on in the server: a socket the
        // test closes would stay open there, and a pipe would never reach end of file.
        for descriptor in openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A signal mask or an ignored SIGTERM/SIGPIPE inherited from this process would outlive exec.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let command = ["/usr/bin/env"] + arguments
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv = command.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw HarnessError("starting \(arguments.joined(separator: " ")): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    deinit { stop() }

    /// Whether the child has exited (reaping it if so).
    func hasExited() -> Bool {
        if reaped { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result == -1 && errno == ECHILD) { reaped = true }
        return reaped
    }

    func stop() {
        guard !hasExited() else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if hasExited() { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
    }

    /// Polls until something accepts connections on `port`; false if the child exits or time runs out.
    func waitUntilListening(port: Int, seconds: Double) -> Bool {
        poll(seconds) { isListening(port: port) }
    }

    /// Polls until the child has written its port to `file`.
    func waitForPortFile(_ file: String, seconds: Double) -> Int? {
        var port: Int?
        _ = poll(seconds) {
            port = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int($0) }
            return port != nil
        }
        return port
    }

    private func poll(_ seconds: Double, _ ready: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !hasExited() {
            if ready() { return true }
            usleep(50_000)
        }
        return false
    }

    /// The child's stdout and stderr so far, its last 8,000 characters.
    func output() -> String {
        String(((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").suffix(8_000))
    }
}

private func openDescriptors() -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
}
/// A port no one listens on now: the kernel's pick for a socket bound to port 0.
public func freeLoopbackPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw HarnessError("socket(): errno \(errno)") }
    defer { close(socket) }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound else { throw HarnessError("binding a loopback port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on the loopback port.
func isListening(port: Int) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return false }
    defer { close(socket) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

private func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
}

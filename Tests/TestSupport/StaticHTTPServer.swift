import Foundation

/// Python's http.server serving a folder on a free loopback port: a plain static host, as the
/// buckets' website endpoints are for what `shots catalog` reads over HTTP.
public final class StaticHTTPServer {
    public let origin: String
    private let server: ServerProcess

    public init(folder: String) throws {
        let port = try freeLoopbackPort()
        server = try ServerProcess(["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, String(port)])
        guard server.waitUntilListening(port: port, seconds: 10) else {
            server.stop()
            throw HarnessError("python3 -m http.server did not start within 10 s:\n\(server.output())")
        }
        origin = "http://127.0.0.1:\(port)"
    }

    deinit { server.stop() }
}

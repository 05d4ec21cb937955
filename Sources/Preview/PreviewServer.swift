import Foundation
import Hummingbird
import Logging

/// `shots serve`'s HTTP server (Hummingbird on SwiftNIO): HTTP/1.1, a 30 s idle timeout so a
/// slow or silent client cannot hold a connection, graceful stop on SIGTERM and SIGINT.
public enum PreviewServer {
    /// Serves until stopped; `ready` is called once it listens, with the port it listens on.
    public static func run(_ site: PreviewSite, host: String, port: Int, ready: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "shots-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: PreviewResponder(site: site),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "shots"),
            onServerRunning: { channel in ready(channel.localAddress?.port ?? port) },
            logger: logger
        )
        try await app.runService()
    }
}

import Foundation
import Hummingbird
import Logging

/// `shots serve`'s HTTP server (Hummingbird on SwiftNIO): HTTP/1.1, a 30 s idle timeout so a
/// slow or silent client cannot hold a connection, graceful stop on SIGTERM and SIGINT.
public enum PreviewServer {
    /// Serves until stopped; `ready` is called once it listens, with the port it listens on.
    public static func run(_ site: PreviewSite, host: String, port: Int, ready: @escaping @Sendable (Int) -> Void) async throws {
        keepStreamedChunksOffTheHeap()
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

    /// Each streamed chunk (`OpenFile.chunk`) its own mapping, unmapped once sent. Left to adjust
    /// itself, glibc moves buffers of that size onto its heaps after the first is freed, and keeps
    /// what they freed: under 100 downloads at once the server then held 0.4 to 1.7 GiB, against
    /// 50 to 90 MiB with this. `mallopt` is not in Swift's Glibc module, hence the look-up.
    private static func keepStreamedChunksOffTheHeap() {
        #if os(Linux)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, Int32(OpenFile.chunk / 2))
        #endif
    }
}

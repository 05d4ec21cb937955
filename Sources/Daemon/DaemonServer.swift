import Infrastructure
import Schedule
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The daemon's HTTP server: the scheduling API (`ScheduleAPI`) and `/health`. Bound to loopback
/// unless told otherwise; with a token, the API asks for `Authorization: Bearer <token>`. The API
/// refuses what a web browser sends (`BrowserGuard`), so no page can change the schedule.
public enum DaemonServer {
    public static func run(loop: DaemonLoop, store: ScheduleStore, host: String, port: Int, token: String?,
                           ready: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "shots-daemon")
        logger.logLevel = .critical
        let app = Application(
            responder: Responder(loop: loop, store: store, token: token),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "shots"),
            onServerRunning: { channel in ready(channel.localAddress?.port ?? port) },
            logger: logger
        )
        try await app.runService()
    }

    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let loop: DaemonLoop
        let store: ScheduleStore
        let token: String?

        func respond(to request: Request, context: Context) async throws -> Response {
            let path = request.uri.path
            if path == "/health" {
                let health = loop.health()
                return json(health.ok ? 200 : 503, .object(health.body))
            }
            if path == SchedulingOpenAPI.path {
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                headers[.contentLength] = String(SchedulingOpenAPI.document.utf8.count)
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: SchedulingOpenAPI.document)))
            }
            if path == "/metrics" {
                let text = loop.metrics.text()
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4"
                headers[.contentLength] = String(text.utf8.count)
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            if let token, request.headers[.authorization] != "Bearer \(token)" {
                return json(401, .object(["code": .integer(401), "message": .string("Unauthorized: send Authorization: Bearer <token>")]))
            }
            if let refusal = BrowserGuard.refusal(origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!],
                                                  accept: request.headers[.accept], host: request.head.authority, checkHost: token == nil) {
                let answer = ScheduleAPI.error(403, "forbidden", refusal)
                return json(answer.status, answer.body)
            }
            let body: Data
            do {
                var buffer = try await request.body.collect(upTo: ScheduleAPI.bodyLimit + 1)
                body = buffer.readData(length: buffer.readableBytes) ?? Data()
            } catch {
                body = Data(count: ScheduleAPI.bodyLimit + 1)  // too large: the API refuses it with its 400
            }
            // The schedule's file lock may wait on a `shots schedule` process: not on the event loop.
            let method = request.method.rawValue
            let answer = try await NIOThreadPool.singleton.runIfActive { [store] in ScheduleAPI.answer(method: method, path: path, body: body, store: store) }
            var response = json(answer.status, answer.body)
            if answer.status == 405 { response.headers[.allow] = path.hasSuffix("/schedule_snapshot") ? "GET, POST" : "POST" }
            return response
        }

        private func json(_ status: Int, _ value: JSONValue) -> Response {
            let data = JSONWriter().data(value)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.contentLength] = String(data.count)
            return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

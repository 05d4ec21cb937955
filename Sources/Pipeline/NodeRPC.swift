import Catalog
import Foundation

/// The few read-only calls shots makes to a Tezos node's RPC (libcurl): the head block's header
/// and the node's `/version`.
public struct NodeRPC: Sendable {
    public var baseURL: String
    public var timeoutSeconds = 30

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The address as messages show it: without credentials a URL may carry (user:password@).
    private func shown(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.user != nil || parts.password != nil else { return url }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "the node RPC"
    }

    /// The head block: `level`, `hash` and `timestamp` of `/chains/main/blocks/head/header`.
    public func headBlock() throws(Problem) -> BlockInfo {
        let url = baseURL + "/chains/main/blocks/head/header"
        guard case .object(let header) = try json(url) else { throw Problem(origin: shown(url), reason: "expected a JSON object (a block header)") }
        func field(_ name: String) throws(Problem) -> String {
            switch header[name] {
            case .string(let text): return text
            case .integer(let number): return String(number)
            case nil: throw Problem(origin: shown(url), reason: "the header has no \"\(name)\"")
            case let other?: throw Problem(origin: shown(url), reason: "\(name): expected a string or an integer, found \(other.kindDescription)")
            }
        }
        return try BlockInfo(height: field("level"), hash: field("hash"), timestamp: field("timestamp"), family: .tezos,
                             origins: (shown(url) + " level", shown(url) + " hash", shown(url) + " timestamp"))
    }

    /// The node's `/version` answer, as an artifact's `tezos_version`.
    public func version() throws(Problem) -> JSONObject {
        let url = baseURL + "/version"
        guard case .object(let version) = try json(url) else { throw Problem(origin: shown(url), reason: "expected a JSON object (the node version)") }
        return version
    }

    private func json(_ url: String) throws(Problem) -> JSONValue {
        let body: Data
        do throws(Problem) { body = try HTTPGet.fetch(url, timeoutSeconds: timeoutSeconds, limit: 1 << 20) } catch {
            throw Problem(origin: shown(url), reason: error.reason)
        }
        do throws(JSONSyntaxError) { return try JSONParser.parse(body) } catch {
            throw Problem(origin: shown(url), reason: "not JSON: \(error)")
        }
    }
}

import Catalog
import Infrastructure
import Foundation
import Storage

/// The few read-only calls shots makes to a Tezos node's RPC (libcurl): the head block's header
/// and the node's `/version`. Messages show the address as `URLSecrets.redacted` does.
public struct NodeRPC: Sendable {
    public var baseURL: String
    public var timeoutSeconds = 30

    public init(baseURL: String) {
        self.baseURL = PathText.trimmingTrailingSlashes(baseURL)
    }

    /// The head block: `level`, `hash` and `timestamp` of `/chains/main/blocks/head/header`; with
    /// `confirmations`, the block that many below it (`head~N`: final after 2 under Tenderbake).
    public func headBlock(confirmations: Int = 0) throws(Problem) -> BlockInfo {
        let url = baseURL + "/chains/main/blocks/head" + (confirmations > 0 ? "~\(confirmations)" : "") + "/header"
        let shown = URLSecrets.redacted(url)
        guard case .object(let header) = try json(url) else { throw Problem(origin: shown, reason: "expected a JSON object (a block header)") }
        func field(_ name: String) throws(Problem) -> String {
            switch header[name] {
            case .string(let text): return text
            case .integer(let number): return String(number)
            case nil: throw Problem(origin: shown, reason: "the header has no \"\(name)\"")
            case let other?: throw Problem(origin: shown, reason: "\(name): expected a string or an integer, found \(other.kindDescription)")
            }
        }
        return try BlockInfo(height: field("level"), hash: field("hash"), timestamp: field("timestamp"), family: .tezos,
                             origins: (shown + " level", shown + " hash", shown + " timestamp"))
    }

    /// The node's `/version` answer, as an artifact's `tezos_version`.
    public func version() throws(Problem) -> JSONObject {
        let url = baseURL + "/version"
        guard case .object(let version) = try json(url) else { throw Problem(origin: URLSecrets.redacted(url), reason: "expected a JSON object (the node version)") }
        return version
    }

    private func json(_ url: String) throws(Problem) -> JSONValue {
        let body: Data
        body = try HTTPClient.get(url, timeoutSeconds: timeoutSeconds, limit: 1 << 20)
        do throws(JSONSyntaxError) { return try JSONParser.parse(body) } catch {
            throw Problem(origin: URLSecrets.redacted(url), reason: "not JSON: \(error)")
        }
    }
}

import Catalog
import Infrastructure
import Foundation
import Storage

/// The few read-only JSON-RPC calls shots makes to a Substrate node (Polkadot, Kusama) over HTTP
/// (libcurl): the finalized and the best block, each with its height and its time.
public struct SubstrateRPC: ChainHead {
    public var baseURL: String
    public var timeoutSeconds = 30

    public init(baseURL: String) {
        self.baseURL = PathText.trimmingTrailingSlashes(baseURL)
    }

    /// The storage key of `Timestamp::Now` (twox128("Timestamp") ++ twox128("Now")): the block's
    /// time in milliseconds, a little-endian u64, set by the block's timestamp inherent.
    static let timestampNowKey = "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"

    /// `chain_getFinalizedHead`: GRANDPA's final block, which no confirmations count can improve on.
    public func finalBlock(confirmations: Int) throws(Problem) -> BlockInfo {
        try block(hash: try hashResult(call("chain_getFinalizedHead", []), method: "chain_getFinalizedHead"))
    }

    /// `chain_getBlockHash` with no height: the best block.
    public func newestBlock() throws(Problem) -> BlockInfo {
        try block(hash: try hashResult(call("chain_getBlockHash", []), method: "chain_getBlockHash"))
    }

    /// The block `hash` names: its number from `chain_getHeader`, its time from `Timestamp::Now`.
    func block(hash: String) throws(Problem) -> BlockInfo {
        guard case .object(let header) = try call("chain_getHeader", [.string(hash)]), case .string(let number)? = header["number"],
              number.hasPrefix("0x"), let height = Int64(number.dropFirst(2), radix: 16) else {
            throw Problem(origin: "\(shown) chain_getHeader", reason: "expected a header whose \"number\" is 0x and hex digits")
        }
        guard case .string(let stored) = try call("state_getStorage", [.string(Self.timestampNowKey), .string(hash)]),
              let milliseconds = Self.littleEndianU64(stored) else {
            throw Problem(origin: "\(shown) state_getStorage Timestamp.Now", reason: "expected 0x and 16 hex digits (milliseconds, little-endian)")
        }
        let time = BlockTimestamp.format(secondsSince1970: milliseconds / 1000)
        return try BlockInfo(height: String(height), hash: hash, timestamp: time, family: .polkadot,
                             origins: ("\(shown) chain_getHeader", "\(shown) block hash", "\(shown) Timestamp.Now"))
    }

    /// SCALE's u64: eight bytes, least significant first, as `0x` and 16 hex digits.
    static func littleEndianU64(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x"), text.count == 18, let bigEndian = UInt64(text.dropFirst(2), radix: 16) else { return nil }
        return bigEndian.byteSwapped
    }

    private var shown: String { URLSecrets.redacted(baseURL) }

    private func hashResult(_ value: JSONValue, method: String) throws(Problem) -> String {
        guard case .string(let hash) = value else { throw Problem(origin: "\(shown) \(method)", reason: "expected a block hash, found \(value.kindDescription)") }
        return hash
    }

    /// One JSON-RPC 2.0 call: its `result`, or its `error` as a problem.
    private func call(_ method: String, _ params: [JSONValue]) throws(Problem) -> JSONValue {
        let request = JSONValue.object(JSONObject([("id", .integer(1)), ("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", .array(params))]))
        let body = try HTTPClient.post(baseURL, json: JSONWriter().data(request), timeoutSeconds: timeoutSeconds, limit: 1 << 20)
        let answer: JSONValue
        do throws(JSONSyntaxError) { answer = try JSONParser.parse(body) } catch {
            throw Problem(origin: "\(shown) \(method)", reason: "not JSON: \(error)")
        }
        if let error = answer["error"] { throw Problem(origin: "\(shown) \(method)", reason: "the node answered an error: \(Self.message(of: error))") }
        guard let result = answer["result"] else { throw Problem(origin: "\(shown) \(method)", reason: "the answer has no \"result\"") }
        return result
    }

    private static func message(of error: JSONValue) -> String {
        if case .string(let message)? = error["message"] { return Problem.quoted(String(message.prefix(200))) }
        return error.kindDescription
    }
}

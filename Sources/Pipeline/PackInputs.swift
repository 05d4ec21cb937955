import Catalog
import Infrastructure
import Foundation

/// Where each input of a pack comes from, as the operator gave them (flags, files, environment),
/// resolved in a fixed order: one source per input, and an error naming the flag or file when
/// none is given, several are, or one cannot be used.
public struct PackInputs {
    public var blockHeight: String?
    public var blockHash: String?
    public var blockTimestamp: String?
    public var blockInfoDir: String?
    public var rpc: String?
    public var nodeVersionFile: String?
    public var signingKeyFile: String?
    public var unsigned: Bool
    public var environment: [String: String]

    public init(blockHeight: String? = nil, blockHash: String? = nil, blockTimestamp: String? = nil, blockInfoDir: String? = nil,
                rpc: String? = nil, nodeVersionFile: String? = nil, signingKeyFile: String? = nil, unsigned: Bool = false,
                environment: [String: String] = [:]) {
        self.blockHeight = blockHeight
        self.blockHash = blockHash
        self.blockTimestamp = blockTimestamp
        self.blockInfoDir = blockInfoDir
        self.rpc = rpc
        self.nodeVersionFile = nodeVersionFile
        self.signingKeyFile = signingKeyFile
        self.unsigned = unsigned
        self.environment = environment
    }

    /// The block: from flags, the `BLOCK_*` files or the node RPC (exactly one of them).
    public func block(family: ChainFamily) throws(Problem) -> BlockInfo {
        let given = [blockHeight, blockHash, blockTimestamp].compactMap { $0 }.count
        let sources = [given > 0, blockInfoDir != nil, rpc != nil].filter { $0 }.count
        guard sources <= 1 else {
            throw Problem(origin: "block info", reason: "give one of --block-height/--block-hash/--block-timestamp, --block-info-dir or --rpc")
        }
        if let blockInfoDir { return try BlockInfo.read(folder: blockInfoDir, family: family) }
        if let rpc { return try NodeRPC(baseURL: rpc).headBlock() }
        let timestamp = blockTimestamp ?? (family == .polkadot ? BlockTimestamp.format(secondsSince1970: UInt64(Date().timeIntervalSince1970)) : nil)
        guard let blockHeight, let blockHash, let timestamp else {
            throw Problem(origin: "block info", reason: "missing: give --block-height, --block-hash and --block-timestamp, or --block-info-dir DIR, or --rpc URL")
        }
        return try BlockInfo(height: blockHeight, hash: blockHash, timestamp: timestamp, family: family,
                             origins: ("--block-height", "--block-hash", "--block-timestamp"))
    }

    /// The signing key: `--signing-key FILE`, else `SHOTS_SIGNING_KEY`; none only with `--unsigned`.
    public func signingKey() throws(Problem) -> Minisign.SecretKey? {
        if unsigned { return nil }
        if let signingKeyFile {
            let data = try Self.readSmallFile(signingKeyFile, limit: 4096, expected: "a minisign secret key file")
            return try Minisign.SecretKey(text: String(decoding: data, as: UTF8.self), origin: signingKeyFile)
        }
        if let text = environment["SHOTS_SIGNING_KEY"], !text.isEmpty {
            return try Minisign.SecretKey(text: text, origin: "SHOTS_SIGNING_KEY")
        }
        throw Problem(origin: "--signing-key", reason: "no signing key: pass --signing-key FILE or set SHOTS_SIGNING_KEY (or --unsigned to publish without a signature)")
    }

    /// The signature's time: `SOURCE_DATE_EPOCH` when set, else now.
    public func signingTime() throws(Problem) -> Int64 {
        guard let epoch = environment["SOURCE_DATE_EPOCH"] else { return Int64(Date().timeIntervalSince1970) }
        guard let seconds = Int64(epoch), seconds >= 0 else {
            throw Problem(origin: "SOURCE_DATE_EPOCH", reason: "expected a whole number of seconds since 1970, found \"\(epoch)\"")
        }
        return seconds
    }

    /// The Tezos node's `/version`: from `--node-version FILE`, else the RPC.
    public func tezosVersion() throws(Problem) -> JSONObject {
        if let nodeVersion = nodeVersionFile {
            let data = try Self.readSmallFile(nodeVersion, limit: 1 << 20, expected: "the node's /version JSON")
            let value: JSONValue
            do throws(JSONSyntaxError) { value = try JSONParser.parse(data) } catch {
                throw Problem(origin: nodeVersion, reason: "expected the node's /version JSON: \(error)")
            }
            guard case .object(let object) = value else { throw Problem(origin: nodeVersion, reason: "expected the node's /version JSON object") }
            return object
        }
        if let rpc { return try NodeRPC(baseURL: rpc).version() }
        throw Problem(origin: "--node-version", reason: "the node version is needed: pass --node-version FILE (its /version JSON) or --rpc URL")
    }

    /// A Substrate node's version, from the file holding what `polkadot --version` printed.
    public func substrateVersion() throws(Problem) -> String {
        guard let nodeVersion = nodeVersionFile else {
            throw Problem(origin: "--node-version", reason: "the node version is needed: pass --node-version FILE (what `polkadot --version` prints)")
        }
        let data = try Self.readSmallFile(nodeVersion, limit: 4096, expected: "what `polkadot --version` prints")
        // `polkadot --version` prints "polkadot 1.11.0-0bb6249268c": the version is the last word.
        guard let version = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).last else {
            throw Problem(origin: nodeVersion, reason: "empty: expected what `polkadot --version` prints, e.g. \"polkadot 1.11.0-0bb6249268c\"")
        }
        return String(version)
    }

    /// A small file read whole (a larger one, a folder or a FIFO refused before any byte is read),
    /// with what it should have held in the message.
    static func readSmallFile(_ path: String, limit: Int, expected: String) throws(Problem) -> Data {
        do throws(MetadataReadError) { return try MetadataFile.read(path, limit: limit) } catch {
            throw Problem(origin: path, reason: "cannot be used: \(error.problem); expected \(expected)")
        }
    }
}

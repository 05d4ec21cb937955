import Catalog
import Infrastructure
import Foundation

/// The block an artifact holds the chain up to.
public struct BlockInfo: Sendable, Equatable {
    public var height: Int64
    public var hash: String
    /// ISO 8601 UTC; for a Substrate snapshot, when it was taken.
    public var timestamp: String

    public init(height: Int64, hash: String, timestamp: String) {
        self.height = height
        self.hash = hash
        self.timestamp = timestamp
    }

    /// Checks each value, naming where it came from (`origins`: height, hash, timestamp) in errors.
    public init(height: String, hash: String, timestamp: String, family: ChainFamily,
                origins: (height: String, hash: String, timestamp: String)) throws(Problem) {
        let heightText = height.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int64(heightText), value >= 0 else {
            throw Problem(origin: origins.height, reason: "expected a block height (a whole number), found \(Problem.quoted(heightText))")
        }
        let hashText = hash.trimmingCharacters(in: .whitespacesAndNewlines)
        let form: TextForm = family == .tezos ? .blockHash : .substrateHash
        guard form.accepts(hashText) else {
            throw Problem(origin: origins.hash, reason: "expected \(form.expectation), found \(Problem.quoted(hashText))")
        }
        let time = timestamp.trimmingCharacters(in: .whitespacesAndNewlines)
        guard BlockTimestamp(time) != nil else {
            throw Problem(origin: origins.timestamp, reason: "expected an ISO 8601 UTC time like 2024-03-01T12:00:05Z, found \(Problem.quoted(time))")
        }
        self.init(height: value, hash: hashText, timestamp: time)
    }

    /// The files `BLOCK_HEIGHT`, `BLOCK_HASH` and `BLOCK_TIMESTAMP` in `folder`, as the
    /// reference pipeline's init container writes them.
    public static func read(folder: String, family: ChainFamily) throws(Problem) -> BlockInfo {
        func file(_ name: String) throws(Problem) -> (text: String, path: String) {
            let path = (folder as NSString).appendingPathComponent(name)
            let data = try PackInputs.readSmallFile(path, limit: 4096,
                                                    expected: "the block's \(name.lowercased().replacingOccurrences(of: "_", with: " "))")
            return (String(decoding: data, as: UTF8.self), path)
        }
        let height = try file("BLOCK_HEIGHT"), hash = try file("BLOCK_HASH"), timestamp = try file("BLOCK_TIMESTAMP")
        return try BlockInfo(height: height.text, hash: hash.text, timestamp: timestamp.text, family: family,
                             origins: (height.path, hash.path, timestamp.path))
    }
}

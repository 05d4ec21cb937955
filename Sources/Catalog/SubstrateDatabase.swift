import Infrastructure

/// A Substrate node's database format, as `--database` and the metadata's `database` name it.
public enum SubstrateDatabase: String, CaseIterable, Sendable {
    case rocksdb, paritydb

    /// The folder under the chain folder that holds it (`chains/polkadot/db`).
    public var folder: String {
        switch self {
        case .rocksdb: "db"
        case .paritydb: "paritydb"
        }
    }

    /// As pages show it.
    public var displayName: String {
        switch self {
        case .rocksdb: "RocksDB"
        case .paritydb: "ParityDB"
        }
    }

    /// `"rocksdb" or "paritydb"`, for messages.
    public static var expectation: String { allCases.map(\.rawValue).sorted().map(Problem.quoted).joined(separator: " or ") }
}

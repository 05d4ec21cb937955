import Infrastructure

/// How a tarball's tar stream is compressed. LZ4 is what every published client reads (the
/// tezos-k8s downloader pipes every tarball through `lz4 -d`); zstd is smaller at a little more
/// CPU, and is published beside it under its own names, never in tezos-snapshots.json.
public enum Compression: String, Sendable, Hashable, CaseIterable, Comparable {
    case lz4, zstd

    /// The metadata field that names it. Tezos metadata leaves it out for LZ4, as it always has;
    /// polkashots metadata always states it.
    public static let metadataField = "compression"

    /// What artifact names end with: `.lz4`, `.zst`.
    public var fileExtension: String {
        switch self {
        case .lz4: "lz4"
        case .zstd: "zst"
        }
    }

    /// The stock command that decompresses it in a pipe (`curl … | lz4 -d | tar -x`).
    public var decompressCommand: String {
        switch self {
        case .lz4: "lz4 -d"
        case .zstd: "zstd -d"
        }
    }

    /// Whether the chart's downloader and the published schema can take it.
    public var isReadByEveryClient: Bool { self == .lz4 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

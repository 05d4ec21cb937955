import Foundation

/// What a restore did, for its closing line and `--json`.
public struct RestoreOutcome: Sendable {
    public var url: String
    public var filename: String
    public var size: Int64
    public var sha256: String
    public var signedBy: String?
    public var entries: Int
    public var extractedBytes: Int64
    public var seconds: Double
    public var resumptions: Int
    public var refetchedBytes: Int64
}

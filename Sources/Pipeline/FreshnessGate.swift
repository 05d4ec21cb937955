import Catalog
import Infrastructure
import Foundation

/// Harmony's freshness condition: a snapshot is only worth publishing from a node that is in
/// sync, so the node's newest block must be younger than a limit, checked before a job starts and
/// again before its permalinks move.
public struct FreshnessGate: Sendable {
    public var rpc: NodeRPC
    public var maxAgeSeconds: Int64

    public init(rpc: NodeRPC, maxAgeSeconds: Int64) {
        self.rpc = rpc
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Reads the node's head and throws when its block is too old, naming both times.
    public func check(now: Date = Date()) throws(Problem) -> BlockInfo {
        let head = try rpc.headBlock()
        try Self.check(head, maxAgeSeconds: maxAgeSeconds, now: now)
        return head
    }

    /// The rule alone: `head`'s timestamp at most `maxAgeSeconds` before `now`.
    public static func check(_ head: BlockInfo, maxAgeSeconds: Int64, now: Date) throws(Problem) {
        guard let time = BlockTimestamp(head.timestamp) else {
            throw Problem(origin: "block \(head.height)", reason: "its timestamp \(Problem.quoted(head.timestamp)) is not an ISO 8601 UTC time")
        }
        let age = Int64(now.timeIntervalSince1970) - time.secondsSince1970
        guard age <= maxAgeSeconds else {
            throw Problem(origin: "the node", reason: "its newest block (\(head.height)) is from \(head.timestamp), \(age) s before now (\(BlockTimestamp.format(secondsSince1970: UInt64(max(0, now.timeIntervalSince1970))))), older than the \(maxAgeSeconds) s allowed (--max-block-age): the node is not in sync")
        }
    }
}

import Infrastructure

/// Where the daemon reads a node's blocks: the block it may snapshot (final) and the newest one
/// (what the freshness gate judges the node's sync by).
public protocol ChainHead: Sendable {
    /// The newest final block: for Tezos `head~confirmations`, for Substrate the finalized head.
    func finalBlock(confirmations: Int) throws(Problem) -> BlockInfo
    /// The node's newest block, final or not.
    func newestBlock() throws(Problem) -> BlockInfo
}

extension NodeRPC: ChainHead {
    public func finalBlock(confirmations: Int) throws(Problem) -> BlockInfo { try headBlock(confirmations: confirmations) }
    public func newestBlock() throws(Problem) -> BlockInfo { try headBlock() }
}

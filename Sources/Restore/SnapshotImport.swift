import Infrastructure
import Pipeline
import Foundation

/// A verified `.rolling` snapshot imported by the node binary into the staged tree's node data
/// folder (`node/data`, where the tezos-k8s chart keeps it), the block hash checked by the node.
enum SnapshotImport {
    static let dataFolder = "node/data"

    static func run(_ binary: String, snapshot: String, into tree: String, blockHash: String, log: (String) -> Void) throws(Problem) {
        let dataDir = tree + "/" + dataFolder
        log("importing \((snapshot as NSString).lastPathComponent) with \(binary) into \(dataFolder) (block \(blockHash))")
        _ = try NodeBinary.run(binary, ["snapshot", "import", snapshot, "--data-dir", dataDir, "--block", blockHash])
    }
}

import Infrastructure
import Pipeline
import Foundation

/// A verified `.rolling` snapshot imported by the node binary into the staged tree's node data
/// folder (`node/data`, where the tezos-k8s chart keeps it), the block hash checked by the node.
enum SnapshotImport {
    static let dataFolder = "node/data"
    /// The node's configuration: it names the network the import is for, so DEST's goes along.
    static let configFile = dataFolder + "/config.json"

    static func run(_ binary: String, snapshot: String, into destination: RestoreDestination, blockHash: String, log: (String) -> Void) throws(Problem) {
        let dataDir = destination.tree + "/" + dataFolder
        do {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            if RestoreDestination.exists(destination.path + "/" + configFile) {
                try FileManager.default.copyItem(atPath: destination.path + "/" + configFile, toPath: destination.tree + "/" + configFile)
            }
        } catch {
            throw Problem(origin: dataDir, reason: "cannot prepare the node's data folder: \((error as NSError).localizedDescription)")
        }
        log("importing \(PathText.name(snapshot)) with \(binary) into \(dataFolder) (block \(blockHash))")
        _ = try NodeBinary.run(binary, ["snapshot", "import", snapshot, "--data-dir", dataDir, "--block", blockHash])
    }
}

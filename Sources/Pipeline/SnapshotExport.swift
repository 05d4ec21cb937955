import Catalog
import Infrastructure
import Foundation

/// A `.rolling` snapshot exported by the node binary into a hidden folder of the output folder:
/// `snapshot export --rolling --block <hash> --data-dir <dir> <file>`, then `snapshot info --json
/// <file>` for its format version and to check it holds the block asked for.
struct SnapshotExport {
    let folder: String
    let path: String
    let snapshotVersion: Int64

    static func run(_ request: PackRequest, filename: String) throws(Problem) -> SnapshotExport {
        let dataDir = (request.dataDir as NSString).appendingPathComponent(request.profile.nodeDataDir ?? ".")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isFolder), isFolder.boolValue else {
            throw Problem(origin: dataDir, reason: "missing: expected the node's data folder here (is this the right data dir?)")
        }
        // A folder of its own (the node refuses to overwrite a file, and two runs must not collide).
        var template = Array((request.outputFolder as NSString).appendingPathComponent(".\(filename).export-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw Problem(origin: request.outputFolder, reason: "cannot create a folder for the export: \(String(cString: strerror(errno)))")
        }
        let folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        InterruptCleanup.register(folder)
        let path = (folder as NSString).appendingPathComponent(filename)
        do throws(Problem) {
            _ = try NodeBinary.run(request.nodeBinary, ["snapshot", "export", "--rolling", "--block", request.block.hash, "--data-dir", dataDir, path])
            let info = try NodeBinary.run(request.nodeBinary, ["snapshot", "info", "--json", path])
            let document: JSONValue
            do throws(JSONSyntaxError) { document = try JSONParser.parse(info) } catch {
                throw Problem(origin: "\(request.nodeBinary) snapshot info", reason: "not JSON: \(error)")
            }
            guard case .object(let header)? = document["snapshot_header"] else {
                throw Problem(origin: "\(request.nodeBinary) snapshot info", reason: "expected a JSON object with a snapshot_header")
            }
            guard case .integer(let version)? = header["version"] else {
                throw Problem(origin: "\(request.nodeBinary) snapshot info", reason: "snapshot_header.version: expected an integer")
            }
            guard case .string(let hash)? = header["block_hash"], case .integer(let level)? = header["level"] else {
                throw Problem(origin: "\(request.nodeBinary) snapshot info", reason: "snapshot_header: expected block_hash (a string) and level (an integer)")
            }
            guard hash == request.block.hash, level == request.block.height else {
                throw Problem(origin: filename, reason: "the export holds block \(hash) at level \(level), not the requested \(request.block.hash) at \(request.block.height)")
            }
            return SnapshotExport(folder: folder, path: path, snapshotVersion: version)
        } catch {
            Self.removeFolder(folder)
            throw error
        }
    }

    /// Copies the export into `sink` (hashing it on the way); returns its size.
    func copy(into sink: HashingSink, progress: PackProgress) throws(Problem) -> Int64 {
        try sink.copy(file: path, what: "the export", progress: progress)
    }

    func remove() { Self.removeFolder(folder) }

    private static func removeFolder(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
        InterruptCleanup.forget(folder)
    }
}

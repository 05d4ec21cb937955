import Catalog
import Foundation

/// A `.rolling` snapshot exported by the node binary into a hidden file of the output folder:
/// `snapshot export --rolling --block <hash> --data-dir <dir> <file>`, then `snapshot info --json
/// <file>` for its format version and to check it holds the block asked for.
struct SnapshotExport {
    let path: String
    let snapshotVersion: Int64

    static func run(_ request: PackRequest, filename: String) throws(Problem) -> SnapshotExport {
        let dataDir = (request.dataDir as NSString).appendingPathComponent(request.profile.nodeDataDir ?? ".")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isFolder), isFolder.boolValue else {
            throw Problem(origin: dataDir, reason: "missing: expected the node's data folder here (is this the right data dir?)")
        }
        let path = (request.outputFolder as NSString).appendingPathComponent(".\(filename).export-\(getpid())")
        unlink(path)  // a leftover of an earlier run with the same process id: the node refuses to overwrite
        do throws(Problem) {
            _ = try node(request.nodeBinary, ["snapshot", "export", "--rolling", "--block", request.block.hash, "--data-dir", dataDir, path])
            let info = try node(request.nodeBinary, ["snapshot", "info", "--json", path])
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
            if case .string(let hash)? = header["block_hash"], hash != request.block.hash {
                throw Problem(origin: path, reason: "the export holds block \(hash), not the requested \(request.block.hash)")
            }
            if case .integer(let level)? = header["level"], level != request.block.height {
                throw Problem(origin: path, reason: "the export is at level \(level), not the requested height \(request.block.height)")
            }
            return SnapshotExport(path: path, snapshotVersion: version)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Copies the export into `sink` (hashing it on the way); returns its size.
    func copy(into sink: HashingSink, progress: PackProgress) throws(Problem) -> Int64 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(origin: path, reason: "cannot open the export: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        fstat(descriptor, &status)
        progress.start(total: Int64(status.st_size))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Problem(origin: path, reason: "cannot read the export: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            total += Int64(count)
            progress.update(done: total, output: total)
        }
        progress.finish(done: total, output: total)
        return total
    }

    func remove() { unlink(path) }

    /// Runs the node binary; its standard error goes to ours (the job's log), its output is returned.
    private static func node(_ binary: String, _ arguments: [String]) throws(Problem) -> Data {
        let process = Process()
        if binary.contains("/") {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [binary] + arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Problem(origin: binary, reason: "cannot run the node binary (set --node-bin): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
            throw Problem(origin: binary, reason: "`\(binary) \(arguments.prefix(2).joined(separator: " "))` failed (\(how))")
        }
        return data
    }
}

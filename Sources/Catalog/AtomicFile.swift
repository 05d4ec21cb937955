import Foundation

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// a temporary file in the same folder, flushed to disk, then renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(InputProblem) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                throw InputProblem(origin: path, reason: "cannot create a file in \(folder.path): \(MetadataFile.systemProblem(errno))")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            guard rename(temporary.path, path) == 0 else {
                throw InputProblem(origin: path, reason: "cannot replace it: \(MetadataFile.systemProblem(errno))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let problem = error as? InputProblem { throw problem }
            throw InputProblem(origin: path, reason: "cannot write it: \(error.localizedDescription)")
        }
    }
}

import Foundation

/// Everything under `folder`, dot-files included, as the file system has it: links as their
/// targets (never followed), folders as such, files as their bytes. Two equal snapshots mean
/// nothing in the folder changed.
public func snapshot(of folder: String) -> [String: String] {
    var entries: [String: String] = [:]
    func walk(_ relative: String) {
        let path = relative.isEmpty ? folder : (folder as NSString).appendingPathComponent(relative)
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFLNK: entries[relative] = "link → " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
        case S_IFDIR:
            entries[relative] = "folder"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                walk(relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name))
            }
        default: entries[relative] = FileManager.default.contents(atPath: path).map { "file " + $0.base64EncodedString() } ?? "unreadable"
        }
    }
    walk("")
    return entries
}

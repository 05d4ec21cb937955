import Catalog
import Infrastructure
import Foundation

/// `_site/.shots-manifest`: every file a build wrote, one line each: its content hash, then the
/// size and modification time the file had when the build left it, then its path. A file whose
/// stamp no longer matches (edited in place, replaced) or that has another name (a hard link to
/// something outside) is never taken as unchanged: the next build writes it again. A manifest of the first format
/// (hash and path only) is read with unknown stamps, so its files are rewritten, and its stale
/// ones still removed.
struct BuildManifest: Equatable {
    struct Entry: Equatable {
        var hash: UInt64
        var stamp: FileStamp?
    }

    static let header = "shots-manifest 2"
    var entries: [String: Entry] = [:]

    init(entries: [String: Entry] = [:]) {
        self.entries = entries
    }

    init(text: String) {
        var lines = text.split(separator: "\n")[...]
        let stamped = lines.first == Substring(Self.header)
        if stamped { lines = lines.dropFirst() }
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: stamped ? 3 : 1, omittingEmptySubsequences: false)
            guard parts.count == (stamped ? 4 : 2), let hash = UInt64(parts[0], radix: 16) else { continue }
            let path = String(parts[parts.count - 1])
            guard OutputFolder.isSafe(path), !path.hasPrefix(SiteOutput.reservedPrefix) else { continue }  // never the build's own files
            var stamp: FileStamp?
            if stamped, let size = Int64(parts[1]), let modified = Int64(parts[2]), size >= 0 {
                stamp = FileStamp(size: size, modified: modified)
            }
            entries[path] = Entry(hash: hash, stamp: stamp)
        }
    }

    var encoded: Data {
        var text = Self.header + "\n"
        for path in entries.keys.sorted() {
            let entry = entries[path]!
            let stamp = entry.stamp ?? FileStamp(size: -1, modified: -1)
            text += String(format: "%016llx %lld %lld ", entry.hash, stamp.size, stamp.modified) + path + "\n"
        }
        return Data(text.utf8)
    }
}

import Infrastructure

/// What a restore lets a tar entry be: a file, folder, symbolic link or hard link whose path stays
/// inside the destination. An absolute path, a `..` step, a link leading out, a device, FIFO or
/// socket is refused, and the restore with it: a snapshot with such an entry is not a node's data dir.
///
/// A link's `..` steps may only lead its target: each climbs one real folder of the link's own path
/// (libarchive never extracts through a link, so those are folders); after them the target only
/// descends. A `..` after a name could climb out of a folder that is itself a link (`x → .`,
/// `node → x/x/../..`), so it is refused rather than resolved.
enum EntryPolicy {
    enum Kind: Equatable { case file, folder, symlink(target: String), hardlink(target: String), other(String) }

    /// Throws naming the entry and what is wrong with it.
    static func check(path: String, kind: Kind) throws(Problem) {
        let origin = "tar entry \(Problem.quoted(path))"
        try checkInside(path, origin: origin, what: "its path")
        switch kind {
        case .file, .folder: break
        case .hardlink(let target): try checkInside(target, origin: origin, what: "its hard link target")
        case .symlink(let target):
            guard !target.hasPrefix("/") else { throw Problem(origin: origin, reason: "a symbolic link to an absolute path (\(Problem.quoted(target))) leads out of the destination") }
            let steps = components(target)
            let climbs = steps.prefix { $0 == ".." }.count
            guard !steps.dropFirst(climbs).contains("..") else {
                throw Problem(origin: origin, reason: "a symbolic link to \(Problem.quoted(target)) has a \"..\" after a name, which could lead out through another link")
            }
            guard climbs <= components(path).count - 1 else {
                throw Problem(origin: origin, reason: "a symbolic link to \(Problem.quoted(target)) leads out of the destination")
            }
        case .other(let what): throw Problem(origin: origin, reason: "is a \(what); a snapshot holds only files, folders and links")
        }
    }

    private static func checkInside(_ path: String, origin: String, what: String) throws(Problem) {
        guard !path.isEmpty else { throw Problem(origin: origin, reason: "\(what) is empty") }
        guard !path.hasPrefix("/") else { throw Problem(origin: origin, reason: "\(what) is absolute; a snapshot's paths are relative to its destination") }
        guard !components(path).contains("..") else { throw Problem(origin: origin, reason: "\(what) climbs out with \"..\"") }
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }
}

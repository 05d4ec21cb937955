import Catalog
import Infrastructure
import Foundation

/// The one way a build reads the files it publishes or renders from (site.yml, themes, templates,
/// pages, assets, the schema): regular files inside one folder (the site folder, or the templates
/// folder). A symbolic link is followed only when what it leads to is a regular file or folder
/// inside that same folder, as in a Kubernetes ConfigMap mount (`site.yml -> ..data/site.yml`);
/// any other link is refused with its path named, so `assets/x.txt -> /etc/shadow` never ships.
/// Names starting with `.` are skipped.
public struct SiteFiles: Sendable {
    /// The folder as given, for messages, and its real path, for the containment check.
    public let folder: String
    private let realFolder: String

    /// The largest file a site may read: far above any page or asset, far below a mistake.
    public static let sizeLimit = 64 << 20

    public init(folder: String) {
        self.folder = folder
        realFolder = Self.realPath(folder) ?? folder
    }

    /// The regular files under `path` (a folder inside this one), as paths relative to `path`.
    /// A missing folder has none.
    public func list(_ path: String) throws(Problem) -> [String] {
        var found: [String] = []
        var visited = Set<[UInt64]>()  // device and inode of each folder walked
        func walk(_ relative: String, depth: Int) throws(Problem) {
            let here = relative.isEmpty ? path : (path as NSString).appendingPathComponent(relative)
            guard depth < 32 else { throw Problem(origin: here, reason: "folders nested more than 32 deep (a link loop?)") }
            var status = stat()
            guard stat(here, &status) == 0, visited.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted else {
                throw Problem(origin: here, reason: "is a folder reached a second time through a symbolic link; link each folder once")
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: here) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name)
                let full = (path as NSString).appendingPathComponent(child)
                switch try kind(of: full) {
                case S_IFDIR: try walk(child, depth: depth + 1)
                case S_IFREG: found.append(child)
                default: continue  // sockets, devices, FIFOs: nothing a site ships
                }
            }
        }
        guard exists(path), try kind(of: path) == S_IFDIR else { return [] }
        try walk("", depth: 0)
        return found
    }

    /// The contents of the regular file at `path`, under the same rule.
    public func read(_ path: String) throws(Problem) -> Data {
        guard try kind(of: path) == S_IFREG, let real = Self.realPath(path) else {
            throw Problem(origin: path, reason: "not a regular file")
        }
        let file = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { throw Problem(origin: path, reason: "cannot read: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(file, &status) == 0, Int(status.st_size) <= Self.sizeLimit else {
            close(file)
            throw Problem(origin: path, reason: "larger than \(Self.sizeLimit >> 20) MiB; a site file is a page, a template or an asset")
        }
        let handle = FileHandle(fileDescriptor: file, closeOnDealloc: true)
        guard let data = try? handle.read(upToCount: Self.sizeLimit + 1) ?? Data() else {
            throw Problem(origin: path, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard data.count <= Self.sizeLimit else { throw Problem(origin: path, reason: "larger than \(Self.sizeLimit >> 20) MiB") }
        return data
    }

    /// `read` as UTF-8 text; `what` names the file's role in the message.
    public func text(_ path: String, what: String) throws(Problem) -> String {
        guard let text = String(data: try read(path), encoding: .utf8) else {
            throw Problem(origin: path, reason: "\(what) is not UTF-8 text")
        }
        return text
    }

    /// Whether there is anything at `path` (a link counts, so that `read` can name it).
    public func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The file type of `path` (`S_IFREG`, `S_IFDIR`...), once its real path (every link on the
    /// way resolved) is known to be inside the folder.
    private func kind(of path: String) throws(Problem) -> mode_t {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw Problem(origin: path, reason: "not found") }
        guard let real = Self.realPath(path), real == realFolder || real.hasPrefix(realFolder + "/"), stat(real, &status) == 0 else {
            throw Problem(origin: path, reason: "is, or is under, a symbolic link that leads outside \(folder); a site reads and ships only files inside its own folders")
        }
        return status.st_mode & S_IFMT
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

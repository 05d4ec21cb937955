import Catalog
import Infrastructure
import Foundation

/// The shipped themes as compiled into shots: the package's `templates/`, embedded at build time
/// by the EmbedThemes plugin (Plugins/). A build reads its theme from here when no templates
/// folder is on disk (or `--templates shots:templates`), so shots builds a site from any folder.
struct EmbeddedThemes: ThemeFiles {
    /// The folder their paths start with in messages: `shots:templates/xtz-shots/layouts/default.html`.
    static let folder = "shots:templates"
    var folder: String { Self.folder }

    /// Each file's path under `templates/` and its bytes, base64, decoded when first read.
    private static let files: [String: String] = Dictionary(uniqueKeysWithValues: embeddedThemeFiles.map { ($0.path, $0.base64) })

    /// The names of the built-in themes, sorted.
    static var names: [String] {
        Set(files.keys.compactMap { $0.split(separator: "/").first.map(String.init) }).sorted()
    }

    /// Every built-in file, as a path under `templates/`, sorted.
    static var paths: [String] { files.keys.sorted() }

    func list(_ path: String) -> [String] {
        guard let prefix = Self.relative(path).map({ $0.isEmpty ? "" : $0 + "/" }) else { return [] }
        return Self.files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    func read(_ path: String) throws(Problem) -> Data {
        guard let relative = Self.relative(path), let base64 = Self.files[relative] else {
            throw Problem(origin: path, reason: "not a file of the themes built into shots")
        }
        return Data(base64Encoded: base64)!  // written by the plugin's tool from the file's bytes
    }

    func text(_ path: String, what: String) throws(Problem) -> String {
        guard let text = String(data: try read(path), encoding: .utf8) else {
            throw Problem(origin: path, reason: "\(what) is not UTF-8 text")
        }
        return text
    }

    func exists(_ path: String) -> Bool {
        guard let relative = Self.relative(path) else { return false }
        return relative.isEmpty || Self.files[relative] != nil || Self.files.keys.contains { $0.hasPrefix(relative + "/") }
    }

    /// `path` relative to `templates/`, if it is one of this folder's paths.
    private static func relative(_ path: String) -> String? {
        if path == folder { return "" }
        guard path.hasPrefix(folder + "/") else { return nil }
        return String(path.dropFirst(folder.count + 1))
    }
}

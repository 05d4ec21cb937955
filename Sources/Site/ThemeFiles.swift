import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// Where a theme's files are read from: a templates folder on disk, read by `SiteFiles`' rule
/// (regular files inside the folder), or the themes built into shots (`EmbeddedThemes`). Paths
/// are `folder/theme/relative`, as messages and the build fingerprint name them.
protocol ThemeFiles: Sendable {
    /// The folder as messages name it.
    var folder: String { get }
    /// The files under `path` (a folder inside this one), relative to `path`; none if it is missing.
    func list(_ path: String) throws(Problem) -> [String]
    /// The bytes of the file at `path`.
    func read(_ path: String) throws(Problem) -> Data
    /// `read` as UTF-8 text; `what` names the file's role in the message.
    func text(_ path: String, what: String) throws(Problem) -> String
    /// Whether there is a file or folder at `path`.
    func exists(_ path: String) -> Bool
}

extension SiteFiles: ThemeFiles {}

import Foundation

/// Which paths of a data dir stay out of a tarball. A pattern with a `/` is matched against the
/// whole path from the tarball's root (`node/data/identity.json`); one without matches any path
/// component of that name (`lost+found`, wherever it is). Patterns may use shell wildcards.
public struct ExclusionRules: Sendable, Equatable {
    public var patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Whether the entry at `path` (relative to the tarball's root, no trailing `/`) is left out.
    public func excludes(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return patterns.contains { pattern in
            pattern.contains("/") ? fnmatch(pattern, path, FNM_PATHNAME) == 0 : fnmatch(pattern, name, 0) == 0
        }
    }
}

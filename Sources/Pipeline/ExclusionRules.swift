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
    public func excludes(_ path: String) -> Bool { excludes(bytes: Array(path.utf8)) }

    /// The same for a path as the file system spells it: bytes, not necessarily UTF-8.
    func excludes(bytes path: [UInt8]) -> Bool {
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { Array(path[($0 + 1)...]) } ?? path
        return patterns.contains { pattern in
            pattern.contains("/") ? Self.matches(pattern, path, FNM_PATHNAME) : Self.matches(pattern, name, 0)
        }
    }

    private static func matches(_ pattern: String, _ text: [UInt8], _ flags: Int32) -> Bool {
        text.withPathCString { fnmatch(pattern, $0, flags) == 0 }
    }
}

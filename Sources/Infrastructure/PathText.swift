/// A path split at its last `/`, as text. Used instead of NSString's `deletingLastPathComponent`
/// and `lastPathComponent`, which trap (SIGILL) on a one-character path such as `x` in this
/// Foundation: a network, page or file named by one letter would crash the build.
public enum PathText {
    /// Everything before the last component: `a/b/c` → `a/b`, `x` → ``, `/x` → `/`.
    public static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last component: `a/b/c` → `c`, `x` → `x`.
    public static func name(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// A base (a URL, a folder) without the slashes that end it: `https://h.io/` → `https://h.io`,
    /// so that `base + "/" + key` has one slash.
    public static func trimmingTrailingSlashes(_ base: String) -> String { String(withoutTrailingSlashes(base)) }

    private static func withoutTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}

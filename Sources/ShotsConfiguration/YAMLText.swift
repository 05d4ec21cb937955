import Catalog
import Infrastructure
import Yams

/// The one way shots reads YAML (site.yml, theme.yml, page front matter). The text is composed
/// into a node tree first, where an alias is only a shared reference, and refused when expanding
/// its aliases would give more than `nodeLimit` nodes: a few hundred bytes of nested aliases (a
/// "billion laughs") otherwise take minutes and gigabytes to decode. Counting stops at the limit,
/// so a bomb is refused in milliseconds.
public enum YAMLText {
    public static let nodeLimit = 100_000

    /// The document's root node, or nil for an empty document; `what` names the part of the file
    /// that is YAML (front matter), nil when all of it is.
    public static func node(_ text: String, origin: String, what: String?) throws(Problem) -> Node? {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            let detail = String(describing: error).split(separator: "\n").first ?? ""
            throw Problem(origin: origin, reason: (what.map { "\($0) is " } ?? "") + "not valid YAML: \(detail)")
        }
        guard let root else { return nil }
        var budget = nodeLimit
        guard fits(root, budget: &budget) else {
            throw Problem(origin: origin, reason: (what.map { "\($0): " } ?? "") + "has more than \(nodeLimit) YAML nodes once its aliases (&anchor/*alias) are expanded; write less, or the values out")
        }
        return root
    }

    /// The document as Foundation values (`[String: Any]`, `[Any]`, strings, numbers, booleans).
    public static func load(_ text: String, origin: String, what: String?) throws(Problem) -> Any? {
        try node(text, origin: origin, what: what)?.any
    }

    /// Whether `node`, its aliases expanded, has at most `budget` nodes (which it spends).
    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias: return true
        case .mapping(let mapping):
            for (key, value) in mapping where !fits(key, budget: &budget) || !fits(value, budget: &budget) { return false }
            return true
        case .sequence(let sequence):
            for element in sequence where !fits(element, budget: &budget) { return false }
            return true
        }
    }
}

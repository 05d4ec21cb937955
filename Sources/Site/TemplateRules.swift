import Catalog
import Infrastructure

/// What a Mustache template includes and how deep it nests, read from its text, and the checks
/// that keep rendering finite and escaped:
/// - no template includes itself through any chain of partials or parents (the renderer would
///   recurse until the stack overflows), and none expands past `expansionLimit` partial renders;
/// - sections nest at most `nestingLimit` deep (each level may repeat everything inside it);
/// - no set-delimiter tag (`{{=<% %>=}}`), which would hide all of this from a reader (and some
///   delimiters crash the Mustache parser), and no pragma (`{{%CONTENT_TYPE:TEXT}}` would turn
///   escaping off);
/// - no partial named by data (`{{>*name}}`), and no unescaped value (`{{{x}}}`, `{{& x}}`) but
///   `content`, the page's own rendered HTML.
enum TemplateRules {
    static let expansionLimit = 10_000
    static let nestingLimit = 8
    /// How deep partials may include partials: the renderer recurses once per level, on threads with small stacks.
    static let depthLimit = 32
    static let unescapedNames: Set<String> = ["content"]

    /// One template as the checks see it: its library name (or page path), its file, its includes.
    struct Entry {
        let name: String
        let path: String
        let partials: [String]
    }

    /// Reads `text` (a template, before shots adds its pragma), refusing what the type describes.
    static func entry(name: String, path: String, text: String) throws(Problem) -> Entry {
        var partials: [String] = []
        var depth = 0
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let triple = rest[open.upperBound...].hasPrefix("{")
            let body = rest[open.upperBound...].dropFirst(triple ? 1 : 0)
            guard let close = body.range(of: triple ? "}}}" : "}}") else { break }  // the parser reports it
            let tag = body[..<close.lowerBound].drop { $0 == " " || $0 == "\t" }
            let value = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch triple ? "{" : tag.first {
            case "=": throw Problem(origin: path, reason: "set-delimiter tags ({{=...=}}) are not allowed: keep {{ }}")
            case "%": throw Problem(origin: path, reason: "pragma tags ({{%...}}) are not allowed: shots sets how values are escaped")
            case "{", "&":
                let variable = triple ? String(tag).trimmingCharacters(in: .whitespaces) : value
                guard unescapedNames.contains(variable) else {
                    throw Problem(origin: path, reason: "prints \(Problem.quoted(variable)) unescaped; only {{{content}}} may be (write {{\(Problem.excerpt(variable))}})")
                }
            case ">", "<":
                guard !value.hasPrefix("*") else {
                    throw Problem(origin: path, reason: "a partial named by data ({{>*name}}) is not allowed: name partials in the template")
                }
                partials.append(value)
                if tag.first == "<" { depth += 1 }
            case "#", "^", "$":
                depth += 1
                guard depth <= nestingLimit else {
                    throw Problem(origin: path, reason: "sections nest more than \(nestingLimit) deep")
                }
            case "/": depth -= 1
            default: break
            }
            rest = body[close.upperBound...]
        }
        return Entry(name: name, path: path, partials: partials)
    }

    /// Refuses a cycle of includes (naming it) or a template that expands past the limit.
    static func check(_ entries: [Entry]) throws(Problem) {
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var expansion: [String: Int] = [:]  // name → partial renders, once known
        var inProgress: [String] = []
        func expand(_ entry: Entry) throws(Problem) -> Int {
            if let known = expansion[entry.name] { return known }
            if let start = inProgress.firstIndex(of: entry.name) {
                let chain = (inProgress[start...] + [entry.name]).joined(separator: " → ")
                throw Problem(origin: byName[inProgress[start]]?.path ?? entry.path,
                              reason: "partial \(Problem.quoted(entry.name)) includes itself (\(chain)); rendering it would never end")
            }
            inProgress.append(entry.name)
            guard inProgress.count <= depthLimit else {
                throw Problem(origin: entry.path, reason: "partials include partials more than \(depthLimit) deep")
            }
            var total = 1
            for partial in entry.partials {
                guard let included = byName[partial] else { continue }  // an unknown partial renders as nothing
                total += try expand(included)
                guard total <= expansionLimit else {
                    throw Problem(origin: entry.path, reason: "expands to more than \(expansionLimit) partial renders (partials that include partials many times)")
                }
            }
            inProgress.removeLast()
            expansion[entry.name] = total
            return total
        }
        for entry in entries { _ = try expand(entry) }
    }
}

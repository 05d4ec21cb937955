import Catalog
import Mustache

/// Which partials each template includes, read from the parsed templates (so a delimiter change
/// cannot hide an include), and the checks that keep rendering finite: no template may include
/// itself through any chain of partials (the renderer would recurse until the stack overflows),
/// a partial's name may not come from data (`{{>*name}}`), and a page may not expand to more than
/// `expansionLimit` partial renders (a few nested partials that each include the next ten times).
enum TemplateIncludes {
    static let expansionLimit = 10_000

    /// One template as the checks see it: its library name (or page path), its file, its includes.
    struct Entry {
        let name: String
        let path: String
        let partials: [String]
    }

    static func entry(name: String, path: String, template: MustacheTemplate) throws(Problem) -> Entry {
        var partials: [String] = []
        var dynamic = false
        visit(template, partials: &partials, dynamic: &dynamic)
        guard !dynamic else {
            throw Problem(origin: path, reason: "a partial named by data ({{>*name}}) is not allowed: name partials in the template")
        }
        return Entry(name: name, path: path, partials: partials)
    }

    /// Refuses a cycle of includes (naming it) or a page that expands past the limit.
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

    /// Walks a parsed template's tokens (the library keeps them internal, so through Mirror),
    /// collecting partial names; sections and inherited blocks are templates of their own.
    private static func visit(_ value: Any, partials: inout [String], dynamic: inout Bool) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .enum, let payload = mirror.children.first {
            switch payload.label {
            case "partial":
                if let name = Mirror(reflecting: payload.value).children.first?.value as? String { partials.append(name) }
            case "dynamicNamePartial": dynamic = true
            default: break
            }
        }
        for child in mirror.children {
            if child.value is String { continue }
            visit(child.value, partials: &partials, dynamic: &dynamic)
        }
    }
}

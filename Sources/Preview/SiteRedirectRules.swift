/// The website's `_redirects` file (Netlify and Cloudflare Pages format: `from to [status]` a
/// line, `#` comments), answered as those hosts answer it: a request for `from` (with or without
/// a trailing `/`) is sent to `to` with the status (301 when none is given).
struct SiteRedirectRules {
    struct Rule: Equatable {
        var location: String
        var status: Int
    }

    private var rules: [String: Rule] = [:]

    init(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count >= 2, !fields[0].hasPrefix("#"), fields[0].hasPrefix("/") else { continue }
            let status = fields.count > 2 ? Int(fields[2].trimmingSuffix("!")) ?? 301 : 301
            guard (300...399).contains(status) else { continue }
            let from = fields[0].count > 1 && fields[0].hasSuffix("/") ? String(fields[0].dropLast()) : fields[0]
            if rules[from] == nil { rules[from] = Rule(location: fields[1], status: status) }  // the first rule wins
        }
    }

    func rule(for path: String) -> Rule? {
        rules[path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path]
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

import CCmark
import Foundation

/// CommonMark to HTML through libcmark.
enum Markdown {
    /// Renders `text`. Raw HTML is kept (`CMARK_OPT_UNSAFE`): templates are the operator's own
    /// files, and artifact data reaches them already HTML-escaped by Mustache and validated.
    static func html(_ text: String) -> String {
        let options = CMARK_OPT_UNSAFE | CMARK_OPT_SMART
        guard let rendered = cmark_markdown_to_html(text, text.utf8.count, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

import Catalog
import Infrastructure

/// How dates and sizes read on the sites' pages.
enum DisplayFormat {
    /// `2024-05-12 00:03 UTC`.
    static func date(_ timestamp: BlockTimestamp) -> String {
        let text = timestamp.text
        return "\(text.prefix(10)) \(text.dropFirst(11).prefix(5)) UTC"
    }
}

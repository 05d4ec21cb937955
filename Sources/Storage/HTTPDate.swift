import Foundation

/// The dates HTTP and S3 exchange, read and written one way: `Last-Modified` in RFC 9110's IMF
/// form (`Sun, 06 Nov 1994 08:49:37 GMT`), and the ISO 8601 times of S3 listings, STS answers and
/// shots' own records (`2024-06-20T10:00:00Z`, fractions of a second read and dropped).
public enum HTTPDate {
    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func imf(_ date: Date) -> String {
        imfFormatter().string(from: date)
    }

    /// The date of a `Last-Modified` header; nil when it is not in that form.
    public static func imf(_ text: String) -> Date? {
        imfFormatter().date(from: text)
    }

    /// `2024-06-20T10:00:00Z`.
    public static func iso8601(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// The date of an S3 listing's `LastModified` or an STS `Expiration`; nil when not ISO 8601.
    public static func iso8601(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text.replacingOccurrences(of: #"\.\d+"#, with: "", options: .regularExpression))
    }

    /// A formatter per call: DateFormatter is not safe to share across threads.
    private static func imfFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}

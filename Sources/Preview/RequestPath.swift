/// A request path read as strictly as a careful host reads it: percent-decoded once, into
/// segments that are plain names. Anything that could name a place outside the served folders,
/// or be read two ways, is refused rather than cleaned up: `.` and `..` segments (in any
/// encoding), an encoded `/` or `\`, a backslash, NUL and other control bytes, invalid UTF-8,
/// empty segments.
struct RequestPath: Equatable {
    /// The decoded segments, in order.
    let segments: [String]
    /// Whether the path ended with `/` (a folder: its `index.html`).
    let isFolder: Bool

    static let maximumLength = 8 * 1024

    init?(_ raw: String) {
        guard raw.hasPrefix("/"), !raw.contains("\\") else { return nil }
        var parts = raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        isFolder = parts.last == ""
        if isFolder { parts.removeLast() }
        var decoded: [String] = []
        for part in parts {
            guard let segment = Self.decode(part), !segment.isEmpty, segment != ".", segment != "..",
                  !segment.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else { return nil }
            decoded.append(segment)
        }
        segments = decoded
    }

    /// The store key the path names (without a folder's `index.html`).
    var key: String { segments.joined(separator: "/") }

    private static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

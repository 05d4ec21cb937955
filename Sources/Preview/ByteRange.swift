import Foundation

/// A `Range: bytes=...` request header against an object of `size` bytes (RFC 9110, 14.1.2).
enum ByteRange: Equatable {
    /// No range asked (or several: the whole object is answered, as a host may).
    case whole
    case part(ClosedRange<Int64>)
    /// Malformed, or beyond the end: 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header else { self = .whole; return }
        guard header.hasPrefix("bytes=") else { self = .unsatisfiable; return }
        let specs = header.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1 else { self = specs.allSatisfy { Self.parse($0, size: size) != nil } ? .whole : .unsatisfiable; return }
        self = Self.parse(specs[0], size: size).map(ByteRange.part) ?? .unsatisfiable
    }

    private static func parse(_ spec: Substring, size: Int64) -> ClosedRange<Int64>? {
        let spec = spec.trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, bounds.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        if bounds[0].isEmpty {  // the last n bytes
            guard let count = Int64(bounds[1]), count > 0, size > 0 else { return nil }
            return max(0, size - count)...(size - 1)
        }
        guard let start = Int64(bounds[0]), start < size else { return nil }
        if bounds[1].isEmpty { return start...(size - 1) }
        guard let end = Int64(bounds[1]), end >= start else { return nil }
        return start...min(end, size - 1)
    }
}

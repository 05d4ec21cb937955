import Foundation

/// The metadata files a build read, as the `F` lines of the cache index: path, size, modification
/// time, network, file name, problem, and `read` or `rejected`, split by tabs.
///
/// A rebuild looks up all ten thousand listed files but needs the contents of only the few that
/// changed. So lines stay the bytes they were read as, found by a hash of their path; a line is
/// decoded when asked for, and lines nobody replaced are written back as they were.
struct SourceFileIndex {
    /// How a listed file is told apart from its record: if either differs, the file changed.
    struct Stamp: Equatable {
        var size: Int64
        var modified: Int64
    }

    private struct Line {
        var range: Range<Int>
        var stamp: Stamp
        var hasProblem: Bool
    }

    private var text: [UInt8] = []
    private var lines: [Line] = []
    private var lineByPath: [UInt64: Int] = [:]
    /// Files recorded (or forgotten, as nil) since the index was read, and the lines they replace.
    private var changes: [String: BuildCache.SourceFile?] = [:]
    private var replacedLines = Set<Int>()
    private(set) var count = 0

    init() {}

    /// Reads `F` lines; nil if one is malformed or two name the same path.
    init?(text: ArraySlice<UInt8>) {
        self.text = Array(text)
        let parsed = self.text.withUnsafeBufferPointer { bytes -> [(key: UInt64, line: Line)]? in
            var parsed: [(key: UInt64, line: Line)] = []
            var start = 0
            while start < bytes.count {
                let end = Self.position(of: 0x0A, in: bytes, from: start) ?? bytes.count
                var tabs: [Int] = []
                var position = start
                while tabs.count < 8, let tab = Self.position(of: 0x09, in: bytes, from: position), tab < end {
                    tabs.append(tab)
                    position = tab + 1
                }
                guard tabs.count == 7, tabs[0] == start + 1, bytes[start] == UInt8(ascii: "F"),
                      let size = Self.integer(bytes, tabs[1] + 1..<tabs[2]), let modified = Self.integer(bytes, tabs[2] + 1..<tabs[3])
                else { return nil }
                let key = Self.key(UnsafeBufferPointer(rebasing: bytes[tabs[0] + 1..<tabs[1]]))
                parsed.append((key, Line(range: start..<end, stamp: Stamp(size: size, modified: modified), hasProblem: tabs[6] > tabs[5] + 1)))
                start = end + 1
            }
            return parsed
        }
        guard let parsed else { return nil }
        lines.reserveCapacity(parsed.count)
        lineByPath.reserveCapacity(parsed.count)
        for (key, line) in parsed {
            guard lineByPath.updateValue(lines.count, forKey: key) == nil else { return nil }
            lines.append(line)
        }
        count = lines.count
    }

    /// The size and modification time recorded for `path`, without decoding its record.
    func stamp(of path: String) -> Stamp? {
        if let change = changes[path] { return change.map { Stamp(size: $0.size, modified: $0.modified) } }
        return lineNumber(of: path).map { lines[$0].stamp }
    }

    subscript(path: String) -> BuildCache.SourceFile? {
        get {
            if let change = changes[path] { return change }
            return lineNumber(of: path).map { decode(lines[$0]).file }
        }
        set {
            let wasPresent = self[path] != nil
            changes[path] = .some(newValue)
            if let number = lineNumber(of: path) { replacedLines.insert(number) }
            count += (newValue != nil ? 1 : 0) - (wasPresent ? 1 : 0)
        }
    }

    /// Every recorded path (decodes every line: only when some listed file is gone).
    var paths: [String] {
        lines.indices.filter { !replacedLines.contains($0) }.map { decode(lines[$0]).path }
            + changes.compactMap { $0.value == nil ? nil : $0.key }
    }

    /// The files recorded with a rejection or a correction, to report it again.
    var withProblems: [(path: String, file: BuildCache.SourceFile)] {
        lines.indices.filter { lines[$0].hasProblem && !replacedLines.contains($0) }.map { decode(lines[$0]) }
            + changes.compactMap { path, file in file?.problem == nil ? nil : (path, file!) }
    }

    /// The files whose artifact has one of `names`: a byte search for each name, then a check of
    /// the lines it lands in, so that a rebuild does not decode every line.
    func files(named names: Set<String>) -> [(path: String, file: BuildCache.SourceFile)] {
        var found: [(path: String, file: BuildCache.SourceFile)] = []
        var seen = Set<Int>()
        for name in names {
            let needle = [UInt8(0x09)] + Self.escaped(name) + [0x09]
            var from = 0
            while let hit = Self.search(needle, in: text, from: from) {
                from = hit + 1
                let lineStart = (text[..<hit].lastIndex(of: 0x0A) ?? -1) + 1
                guard let number = lineNumber(startingAt: lineStart), !replacedLines.contains(number), seen.insert(number).inserted else { continue }
                let record = decode(lines[number])
                if record.file.filename == name { found.append(record) }
            }
        }
        for case let (path, file?) in changes where file.filename.map(names.contains) == true { found.append((path, file)) }
        return found
    }

    /// The `F` lines of the next index: unchanged lines as read, then what changed.
    func encoded() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count + changes.count * 200)
        for (number, line) in lines.enumerated() where !replacedLines.contains(number) {
            output += text[line.range]
            output.append(0x0A)
        }
        for case let (path, file?) in changes.sorted(by: { $0.key < $1.key }) {
            output += Self.line(path: path, file)
        }
        return output
    }

    static func line(path: String, _ file: BuildCache.SourceFile) -> [UInt8] {
        let fields = ["F", path, String(file.size), String(file.modified), file.network ?? "", file.filename ?? "",
                      file.problem ?? "", file.rejected ? "rejected" : "read"]
        return Array(fields.map(escaped).joined(separator: [0x09])) + [0x0A]
    }

    /// A field with backslash, tab and newline escaped, so fields and lines split on plain bytes.
    static func escaped(_ field: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.utf8.count)
        for byte in field.utf8 {
            switch byte {
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            default: bytes.append(byte)
            }
        }
        return bytes
    }

    static func unescaped(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var text: [UInt8] = []
        var escaping = false
        for byte in bytes {
            if escaping {
                text.append(byte == UInt8(ascii: "t") ? 0x09 : byte == UInt8(ascii: "n") ? 0x0A : byte)
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private func lineNumber(of path: String) -> Int? {
        let escapedPath = Self.escaped(path)
        guard let number = escapedPath.withUnsafeBufferPointer({ lineByPath[Self.key($0)] }) else { return nil }
        let pathStart = lines[number].range.lowerBound + 2
        let pathEnd = pathStart + escapedPath.count
        guard pathEnd < text.count, text[pathEnd] == 0x09, text[pathStart..<pathEnd].elementsEqual(escapedPath) else { return nil }
        return number
    }

    private func lineNumber(startingAt start: Int) -> Int? {
        guard let tab = text[(start + 2)...].firstIndex(of: 0x09) else { return nil }
        let key = text.withUnsafeBufferPointer { Self.key(UnsafeBufferPointer(rebasing: $0[(start + 2)..<tab])) }
        guard let number = lineByPath[key], lines[number].range.lowerBound == start else { return nil }
        return number
    }

    private func decode(_ line: Line) -> (path: String, file: BuildCache.SourceFile) {
        let fields = text[line.range].split(separator: 0x09, omittingEmptySubsequences: false)
        func optional(_ field: ArraySlice<UInt8>) -> String? { field.isEmpty ? nil : Self.unescaped(field) }
        return (Self.unescaped(fields[1]), BuildCache.SourceFile(
            size: line.stamp.size, modified: line.stamp.modified, network: optional(fields[4]), filename: optional(fields[5]),
            problem: optional(fields[6]), rejected: fields[7].elementsEqual("rejected".utf8)))
    }

    /// A 64-bit hash of an escaped path (the one site outputs use); lookups also compare the bytes.
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        SiteOutput.fnv1a(UnsafeRawBufferPointer(bytes))
    }

    private static func position(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let found = memchr(bytes.baseAddress! + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress!)
    }

    private static func search(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        haystack.withUnsafeBufferPointer { hay in
            var from = start
            while let candidate = position(of: needle[0], in: hay, from: from) {
                guard candidate + needle.count <= hay.count else { return nil }
                if UnsafeBufferPointer(rebasing: hay[candidate..<candidate + needle.count]).elementsEqual(needle) { return candidate }
                from = candidate + 1
            }
            return nil
        }
    }

    /// A decimal integer field, as the index writes them.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var digits = range
        let negative = !digits.isEmpty && bytes[digits.lowerBound] == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for index in digits {
            let digit = bytes[index] &- UInt8(ascii: "0")
            let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
            guard digit < 10, !overflow, tens <= Int64.max - Int64(digit) else { return nil }
            value = tens + Int64(digit)
        }
        return negative ? -value : value
    }
}

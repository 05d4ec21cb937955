import Foundation

extension JSONParser {
    /// Parses a document whose top level is an array (base.json), its elements on every core, and
    /// passes each, with its position, to `transform`. Nil when the top level is not an array.
    /// The result, and any error with its line and column, are exactly what `parse` gives.
    public static func parseArray<Element: Sendable>(
        _ data: Data, transform: @Sendable (Int, JSONValue) -> Element
    ) throws(JSONSyntaxError) -> [Element]? {
        var elements: [Element] = []
        switch readArray(data, transform: transform, collect: { elements += $0; return true }) {
        case .complete, .stopped, .oversized: return elements
        case .malformed(let error): throw error
        case .notAnArray:
            _ = try parse(data)
            return nil
        }
    }

    /// How `readArray` ended.
    public enum ArrayReading: Sendable {
        /// Every element was read, and nothing but whitespace follows the array.
        case complete
        /// `collect` asked to stop.
        case stopped
        /// The document is not an array (or is empty); nothing was read.
        case notAnArray
        /// Not valid JSON: `collect` had every element before the error.
        case malformed(JSONSyntaxError)
        /// The element at `position` spans `size` bytes, over the limit; it was not parsed.
        case oversized(position: Int, size: Int)
    }

    /// Reads a top-level array in file order, in batches of `batchSize` elements: each batch is
    /// parsed on every core, transformed, and handed to `collect`, which returns false to stop
    /// (the first invalid artifact of a catalog ends a merge: nothing after it is parsed, and a
    /// hostile catalog of millions of bad elements costs one batch).
    ///
    /// A quick structural scan guesses where each element of a batch ends; each is then parsed by
    /// the strict parser's own `parseArrayElement` from where the previous one really ended, inside
    /// the top-level array, with the whole document in view. A guess is only used once the element
    /// before it is known to end there, so the values, the error and its position are the strict
    /// parser's, whatever the batch size or the number of cores.
    /// An element longer than `elementLimit` bytes (whitespace around it aside) ends the reading
    /// before it is parsed.
    public static func readArray<Element: Sendable>(
        _ data: Data, elementLimit: Int = .max, batchSize: Int = 4096,
        transform: @Sendable (Int, JSONValue) -> Element, collect: ([Element]) -> Bool
    ) -> ArrayReading {
        data.withUnsafeBytes { raw -> ArrayReading in
            let bytes = raw.bindMemory(to: UInt8.self)
            nonisolated(unsafe) let shared = bytes
            var reader = JSONParser(bytes: bytes)
            reader.skipDocumentStart()
            guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "[") else { return .notAnArray }
            do throws(Failure) {
                guard try reader.enterArray() else {
                    try reader.finishDocument()
                    return collect([]) ? .complete : .stopped
                }
            } catch {
                return .malformed(JSONSyntaxError(error, in: bytes))
            }
            var position = 0
            while true {
                let guesses = guessElements(bytes, from: reader.index, count: batchSize)
                let first = position
                let outcomes = Array(guesses.indices).parallelMap(minimumChunk: 64) { offset -> ElementOutcome<Element> in
                    let range = guesses[offset]
                    if range.count > elementLimit {
                        let size = trimmedCount(shared, range)
                        if size > elementLimit { return .oversized(size: size) }
                    }
                    var parser = JSONParser(bytes: shared, index: range.lowerBound, depth: 1)
                    do throws(Failure) {
                        let (value, isLast) = try parser.parseArrayElement()
                        return .parsed(transform(first + offset, value), end: parser.index, isLast: isLast)
                    } catch {
                        return .malformed(error)
                    }
                }
                var taken: [Element] = []
                taken.reserveCapacity(outcomes.count)
                var ending: ArrayReading?
                for (offset, outcome) in outcomes.enumerated() {
                    // A guess that does not start where the previous element ended is a wrong one:
                    // scan again from there.
                    guard guesses[offset].lowerBound == reader.index else { break }
                    switch outcome {
                    case .parsed(let element, let end, let isLast):
                        taken.append(element)
                        reader.index = end
                        if isLast {
                            reader.depth = 0
                            do throws(Failure) { try reader.finishDocument(); ending = .complete } catch {
                                ending = .malformed(JSONSyntaxError(error, in: bytes))
                            }
                        }
                    case .malformed(let failure): ending = .malformed(JSONSyntaxError(failure, in: bytes))
                    case .oversized(let size): ending = .oversized(position: first + offset, size: size)
                    }
                    if ending != nil { break }
                }
                position += taken.count
                guard collect(taken) else { return .stopped }
                if let ending { return ending }
            }
        }
    }

    private enum ElementOutcome<Element: Sendable>: Sendable {
        case parsed(Element, end: Int, isLast: Bool)
        case malformed(Failure)
        case oversized(size: Int)
    }

    /// Where the next `count` elements of a top-level array probably are, from `start` (just after
    /// its `[` or a `,`): each range ends at the `,` or `]` found after it outside strings and
    /// brackets, the last at the array's `]` or the end of the document. A guess only: malformed
    /// JSON can mislead it, and `readArray` checks each guess by parsing.
    private static func guessElements(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(count)
        var index = start
        while ranges.count < count, index < bytes.count {
            let elementStart = index
            var depth = 0
            var inString = false
            scan: while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { break scan }
                        depth -= 1
                    case UInt8(ascii: ","): if depth == 0 { break scan }
                    default: break
                    }
                }
                index += 1
            }
            let end = min(index, bytes.count)
            ranges.append(elementStart..<end)
            guard end < bytes.count, bytes[end] == UInt8(ascii: ",") else { break }
            index = end + 1
        }
        if ranges.isEmpty { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// The length of `range` without the whitespace around it.
    private static func trimmedCount(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return upper - lower
    }
}

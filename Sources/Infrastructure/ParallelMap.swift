import Foundation

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores, results in input order. Elements are taken in
    /// contiguous chunks of at least `minimumChunk`: many for small work (validating an artifact),
    /// one for large work (rendering a page).
    @inlinable
    public func parallelMap<Result: Sendable>(minimumChunk: Int = 256, _ transform: @Sendable (Element) -> Result) -> [Result] {
        let chunks = Swift.min(ProcessInfo.processInfo.activeProcessorCount * (minimumChunk == 1 ? 4 : 1), count / minimumChunk)
        guard chunks > 1 else { return map(transform) }
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let output = buffer
            self.withUnsafeBufferPointer { input in
                nonisolated(unsafe) let input = input
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let range = (input.count * chunk / chunks)..<(input.count * (chunk + 1) / chunks)
                    for index in range { (output.baseAddress! + index).initialize(to: transform(input[index])) }
                }
            }
            initialized = count
        }
    }
}

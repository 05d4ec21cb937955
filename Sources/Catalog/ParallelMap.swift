import Foundation

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores in contiguous chunks, results in input order.
    /// Worth it only for thousands of elements of real work (validating or encoding artifacts).
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        let chunks = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / 256)
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

// libFuzzer's entry point for shots' JSON parser and metadata validation. `make fuzz` compiles it
// with the instrumented Infrastructure and Catalog modules (`swiftc -sanitize=fuzzer`); SwiftPM does not build it.
// `make test` replays the corpus (Tests/CatalogTests/FuzzCorpusTests.swift) through the same check.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    let finding = FuzzCheck.check(data)
    if let violation = finding.violations.first { fatalError("invariant broken: \(violation)") }
    return 0
}

import Catalog
import Infrastructure
import Testing

@Suite("filesize strings")
struct FileSizeTests {
    @Test("match the reference awk formula", arguments: [
        (Int64(0), "0"), (512, "512"), (1024, "1024"), (1025, "1K"), (1_048_576, "1024K"), (1_048_577, "1M"),
        (53_963_264, "51M"), (6_979_321_856, "6G"), (5_497_558_138_880, "5T"), (3_298_534_883_328_000, "3000T"),
        (1_099_511_627_776, "1024G"), (Int64.max, "8388607T"),
    ])
    func formats(bytes: Int64, expected: String) {
        #expect(FileSize.format(bytes: bytes) == expected)
    }
}

import Testing

@testable import Site

@Suite("the build cache's index of metadata files")
struct SourceFileIndexTests {
    let odd = "bucket/we\tird\\name\n.json"
    let readFile = BuildCache.SourceFile(size: 120, modified: 1_732_000_000_123_456_789, network: "mainnet",
                                         filename: "a.lz4", problem: nil, rejected: false)
    let rejectedFile = BuildCache.SourceFile(size: -1, modified: -5, network: nil, filename: nil,
                                             problem: "block_height: expected an integer", rejected: true)

    func written() -> SourceFileIndex? {
        var index = SourceFileIndex()
        index["bucket/a.lz4.json"] = readFile
        index[odd] = rejectedFile
        return SourceFileIndex(text: ArraySlice(index.encoded()))
    }

    @Test("records read back as written, paths with tabs, newlines and backslashes included")
    func roundTrip() throws {
        let index = try #require(written())
        #expect(index.count == 2)
        #expect(index["bucket/a.lz4.json"] == readFile)
        #expect(index[odd] == rejectedFile)
        #expect(index.stamp(of: "bucket/a.lz4.json") == SourceFileIndex.Stamp(size: 120, modified: 1_732_000_000_123_456_789))
        #expect(index["bucket/a.lz4"] == nil)
        #expect(index.stamp(of: "bucket/a.lz4.jsonx") == nil)
        #expect(Set(index.paths) == ["bucket/a.lz4.json", odd])
        #expect(index.withProblems.map(\.path) == [odd])
    }

    @Test("lookups by artifact name find only that field, and changes replace lines")
    func namesAndChanges() throws {
        var index = try #require(written())
        #expect(index.files(named: ["a.lz4"]).map(\.path) == ["bucket/a.lz4.json"])
        #expect(index.files(named: ["mainnet", "a.lz4.json", "a"]).isEmpty)
        index["bucket/a.lz4.json"] = nil
        index["bucket/b.lz4.json"] = BuildCache.SourceFile(size: 1, modified: 2, network: "ghostnet", filename: "a.lz4", problem: nil, rejected: false)
        #expect(index.count == 2)
        #expect(index.files(named: ["a.lz4"]).map(\.path) == ["bucket/b.lz4.json"])
        let reread = try #require(SourceFileIndex(text: ArraySlice(index.encoded())))
        #expect(Set(reread.paths) == ["bucket/b.lz4.json", odd])
        #expect(reread["bucket/a.lz4.json"] == nil)
        #expect(reread["bucket/b.lz4.json"]?.network == "ghostnet")
    }

    @Test("a malformed or ambiguous index is not trusted")
    func malformed() throws {
        let line = "F\tp.json\t1\t2\tmainnet\ta.lz4\t\tread\n"
        #expect(SourceFileIndex(text: ArraySlice(Array(line.utf8))) != nil)
        #expect(SourceFileIndex(text: ArraySlice(Array((line + line).utf8))) == nil)  // the same path twice
        for bad in ["F\tp.json\tx\t2\tmainnet\ta.lz4\t\tread\n", "F\tp.json\t1\t2\tmainnet\ta.lz4\tread\n",
                    "F\tp.json\t1\t99999999999999999999\tm\ta\t\tread\n", "N\tp.json\t1\t2\tmainnet\ta.lz4\t\tread\n"] {
            #expect(SourceFileIndex(text: ArraySlice(Array(bad.utf8))) == nil, "\(bad)")
        }
    }
}

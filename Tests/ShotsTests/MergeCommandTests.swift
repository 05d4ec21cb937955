import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("shots merge, as a user runs it")
struct MergeCommandTests {
    /// A bucket folder with two valid artifacts, plus whatever the test adds.
    private func bucket() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1))
        try folder.write(artifact: artifactJSON(type: "tezos-snapshot", height: 2))
        return folder
    }

    private func filenames(in base: String) throws -> [String] {
        guard case .array(let entries) = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: base))) else { return [] }
        return entries.compactMap { if case .string(let name)? = $0["filename"] { name } else { nil } }
    }

    @Test("bad inputs get a one-line error naming the file; the valid artifacts are merged; exit 2", arguments: [
        ("malformed.json", #"{"block_hash": "B"#, "not valid JSON: unterminated string at line 1, column 18"),
        ("array.json", "[" + TemporaryFolder.textOf(artifactJSON(height: 3)) + "]", "expected a JSON object (one artifact), found an array"),
        ("types.json", TemporaryFolder.textOf(artifactJSON(height: 3), ["block_height": .string("3")]), "block_height: expected a non-negative integer"),
        ("html.json", TemporaryFolder.textOf(artifactJSON(height: 3), ["block_hash": .string("<img src=x onerror=alert(1)>")]), "block_hash: expected a Tezos block hash"),
        ("markdown.json", TemporaryFolder.textOf(artifactJSON(height: 3), ["chain_name": .string("[click](https://evil.example)")]), "chain_name: expected a network name"),
        ("passwd.json", TemporaryFolder.textOf(artifactJSON(height: 3), ["filename": .string("../../etc/passwd")]), "filename: expected a plain file name"),
        ("script.json", TemporaryFolder.textOf(artifactJSON(height: 3), ["url": .string("javascript:alert(1)")]), "url: expected an http:// or https:// URL"),
    ])
    func badInput(name: String, contents: String, reason: String) throws {
        let folder = try bucket()
        let bad = try folder.write("bucket/\(name)", contents)
        let run = try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("\(bad): \(reason)") == true, "stderr: \(run.stderr)")
        #expect(try filenames(in: folder.subpath("base.json")) == ["tezos-mainnet-rolling-tarball-1.lz4", "mainnet-2.rolling"])
    }

    @Test("a 200 MB file named x.json is refused without being read")
    func hugeFile() throws {
        let folder = try bucket()
        let huge = try folder.write("bucket/x.json", "")
        try FileHandle(forWritingAtPath: huge)!.truncate(atOffset: 200_000_000)
        let run = try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 2)
        #expect(run.errorLines == ["\(huge): 190.7 MiB is over the 1.0 MiB limit; refusing to parse it"])
        #expect(try filenames(in: folder.subpath("base.json")).count == 2)
    }

    @Test("two files with the same filename and different content: both named, nothing written, exit 1")
    func conflict() throws {
        let folder = try bucket()
        var other = artifactJSON(height: 1)
        other["block_hash"] = .string("BMHv8Rmx2QQtN786bUCuAxxemTmdJxaonbmUALifMYtivT13Hxg")
        let second = try folder.write(artifact: other, in: "mirror")
        let first = folder.subpath("bucket/tezos-mainnet-rolling-tarball-1.lz4.json")
        let run = try Shots.run(["merge", folder.subpath("bucket"), folder.subpath("mirror"), "-o", folder.subpath("base.json")])
        #expect(run.status == 1)
        #expect(run.errorLines == [
            "conflict: tezos-mainnet-rolling-tarball-1.lz4 has different metadata in \(first) and in \(second)",
            "error: 1 filename conflict(s), nothing written: keep one version of each file, or pass --prefer newer to keep the newer block_timestamp",
        ])
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("base.json")))
    }

    @Test("an empty folder and a folder that does not exist are reported; exit 2")
    func emptyAndMissing() throws {
        let folder = try bucket()
        try FileManager.default.createDirectory(atPath: folder.subpath("empty"), withIntermediateDirectories: true)
        let run = try Shots.run(["merge", folder.subpath("empty"), folder.subpath("nope"), folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 2)
        #expect(run.errorLines == [
            "\(folder.subpath("empty")): no artifact metadata (*.json) in this folder",
            "\(folder.subpath("nope")): no such file or folder",
        ])
        #expect(try filenames(in: folder.subpath("base.json")).count == 2)
    }

    @Test("--strict writes nothing and exits 1 when any input is invalid")
    func strict() throws {
        let folder = try bucket()
        try folder.write("bucket/bad.json", "[]")
        let run = try Shots.run(["merge", "--strict", folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 1)
        #expect(run.errorLines.last == "error: nothing written: 1 input(s) rejected and --strict is set")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("base.json")))
    }

    @Test("a failed merge leaves the existing base.json untouched")
    func existingOutputUntouched() throws {
        let folder = try bucket()
        let base = try folder.write("base.json", "[]\n")
        try folder.write(artifact: artifactJSON(height: 1).merging(["filesize_bytes": .integer(7)]), in: "other")
        let run = try Shots.run(["merge", "--into", base, folder.subpath("bucket"), folder.subpath("other")])
        #expect(run.status == 1)
        #expect(try String(contentsOfFile: base, encoding: .utf8) == "[]\n")
    }

    @Test("--into adds new artifacts to base.json in place and --json reports what happened")
    func intoWithJSON() throws {
        let folder = try bucket()
        let base = folder.subpath("base.json")
        #expect(try Shots.run(["merge", "--into", base, folder.subpath("bucket")]).status == 0)
        try folder.write(artifact: artifactJSON(height: 3))
        let run = try Shots.run(["merge", "--json", "--into", base, folder.subpath("bucket")])
        #expect(run.status == 0)
        let summary = try JSONParser.parse(Data(run.stdout.utf8))
        #expect(summary["artifacts"] == .integer(3))
        #expect(summary["added"] == .integer(1))
        #expect(summary["files_read"] == .integer(2))
        #expect(try filenames(in: base).count == 3)
    }

    @Test("merging the same input twice writes byte-identical base.json")
    func reproducible() throws {
        let folder = try bucket()
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("one.json")]).status == 0)
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("two.json")]).status == 0)
        let one = try Data(contentsOf: URL(fileURLWithPath: folder.subpath("one.json")))
        #expect(one == (try Data(contentsOf: URL(fileURLWithPath: folder.subpath("two.json")))))
        #expect(!one.isEmpty)
    }

    @Test("replacing a base.json that is not an input, with fewer artifacts, is refused: nothing is dropped")
    func neverShrinks() throws {
        let folder = try bucket()
        let base = folder.subpath("base.json")
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", base]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: base))
        try FileManager.default.removeItem(atPath: folder.subpath("bucket/mainnet-2.rolling.json"))
        let run = try Shots.run(["merge", folder.subpath("bucket"), "-o", base])
        #expect(run.status == 1)
        #expect(run.errorLines.first?.hasPrefix("error: \(base) holds 1 artifact(s) the merge would drop (first: mainnet-2.rolling)") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: base)) == before)
        // Named as a source it is merged, so nothing is lost and the write goes ahead.
        #expect(try Shots.run(["merge", base, folder.subpath("bucket"), "-o", base]).status == 0)
    }

    @Test("a metadata file not named <filename>.json is refused, since --into trusts the name")
    func misnamedFile() throws {
        let folder = try bucket()
        let misnamed = try folder.write("bucket/latest.json", TemporaryFolder.textOf(artifactJSON(height: 3)))
        let run = try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 2)
        #expect(run.errorLines == [#"\#(misnamed): metadata for "tezos-mainnet-rolling-tarball-3.lz4" must be named "tezos-mainnet-rolling-tarball-3.lz4.json""#])
    }

    @Test("a single artifact file given as a source is merged, or rejected (exit 2) when invalid or over 1 MiB")
    func singleFileSources() throws {
        let folder = try bucket()
        let good = try folder.write("extra/one.json", TemporaryFolder.textOf(artifactJSON(height: 3)))
        let bad = try folder.write("extra/two.json", TemporaryFolder.textOf(artifactJSON(height: 4), ["sha256": .string("x")]))
        let big = try folder.write("extra/big.json", "{" + String(repeating: " ", count: 2 << 20) + "}")
        let run = try Shots.run(["merge", folder.subpath("bucket"), good, bad, big, "-o", folder.subpath("base.json")])
        #expect(run.status == 2)
        #expect(run.errorLines.count == 2)
        #expect(run.errorLines[0].hasPrefix("\(bad): sha256: expected 64 lowercase hexadecimal digits"))
        #expect(run.errorLines[1] == "\(big): 2.0 MiB is over the 1.0 MiB limit; refusing to parse it")
        #expect(try filenames(in: folder.subpath("base.json")).count == 3)
    }

    @Test("--prefer newer from the command line: the newer timestamp wins; equal timestamps stay a conflict")
    func preferNewer() throws {
        let folder = try bucket()
        try folder.write(artifact: artifactJSON(height: 1, timestamp: "2030-01-01T00:00:00Z"), in: "newer")
        let run = try Shots.run(["merge", "--prefer", "newer", folder.subpath("bucket"), folder.subpath("newer"), "-o", folder.subpath("base.json")])
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: folder.subpath("base.json"), encoding: .utf8).contains("2030-01-01T00:00:00Z"))

        var sameTime = artifactJSON(height: 1)
        sameTime["sha256"] = .string(String(repeating: "a", count: 64))
        try folder.write(artifact: sameTime, in: "same")
        let tie = try Shots.run(["merge", "--prefer", "newer", folder.subpath("bucket"), folder.subpath("same"), "-o", folder.subpath("tie.json")])
        #expect(tie.status == 1)
    }

    @Test("fields shots does not know survive a real merge untouched, and -q prints nothing")
    func unknownFieldsAndQuiet() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1).merging(["mirrors": .array([.string("https://a.example/x"), .number("1.50")])]))
        let run = try Shots.run(["merge", "-q", folder.subpath("bucket"), "-o", folder.subpath("base.json")])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
        let written = try String(contentsOfFile: folder.subpath("base.json"), encoding: .utf8)
        #expect(written.contains(#""mirrors": [\#n      "https://a.example/x",\#n      1.50\#n    ]"#))
    }

    @Test("20 merges into one base.json at the same moment, each adding one artifact, keep every artifact")
    func concurrentMerges() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1), in: "first")
        let base = folder.subpath("base.json")
        #expect(try Shots.run(["merge", folder.subpath("first"), "-o", base]).status == 0)
        for index in 1...20 { try folder.write(artifact: artifactJSON(height: Int64(100 + index)), in: "bucket-\(index)") }
        let leftover = try folder.write(".base.json.partial-killed1", "what a killed merge left")
        let processes = try (1...20).map { index -> Process in
            let process = Process()
            process.executableURL = Shots.binary
            process.arguments = ["merge", "-q", "--into", base, folder.subpath("bucket-\(index)")]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let merged = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: base)))
        guard case .array(let artifacts) = merged else { Issue.record("not an array"); return }
        #expect(artifacts.count == 21, "kept \(artifacts.count) of 21")
        #expect(!FileManager.default.fileExists(atPath: leftover), "a killed merge's temporary is removed by the next one")
    }
}

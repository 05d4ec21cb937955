import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

/// `shots merge` against catalogs an attacker (or a broken uploader) wrote: it must stop at the
/// first bad element, quickly, in memory bounded by the file, with one short line naming it.
@Suite("shots merge on hostile catalogs")
struct HostileCatalogTests {
    /// `shots` run under GNU time (`time` is in the Makefile's APT_PACKAGES): the run and the peak
    /// resident memory of the merge process itself, in bytes.
    private func measured(_ arguments: [String], in folder: TemporaryFolder) throws -> (run: ProgramRun, peakBytes: Int, seconds: Double) {
        let report = folder.subpath("time.txt")
        let clock = ContinuousClock()
        let started = clock.now
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/time"), ["-v", "-o", report, Shots.binary.path] + arguments)
        let elapsed = clock.now - started
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.contains("Maximum resident set size (kbytes)") }
        let kilobytes = line.flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
        try #require(kilobytes != nil, "no peak RSS in /usr/bin/time's report: \(text)")
        return (run, kilobytes! * 1024, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// `[1,1,...,1]`: 16 Mi elements, 32 MiB, not one an artifact.
    private func sixteenMillionBadElements(in folder: TemporaryFolder) throws -> (path: String, size: Int) {
        let count = 16 << 20
        var bytes = [UInt8](repeating: UInt8(ascii: ","), count: 2 * count + 1)
        bytes[0] = UInt8(ascii: "[")
        for index in stride(from: 1, to: bytes.count, by: 2) { bytes[index] = UInt8(ascii: "1") }
        bytes[bytes.count - 1] = UInt8(ascii: "]")
        let path = folder.subpath("base.json")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes.count)
    }

    @Test("a 32 MiB base.json of 16 million bad elements fails in seconds, naming element 0, in under 2 × its size + 50 MB",
          arguments: [false, true])
    func sixteenMillionBadElements(into: Bool) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            Issue.record("/usr/bin/time is not installed (make deps installs it)")
            return
        }
        let folder = try TemporaryFolder()
        let (base, size) = try sixteenMillionBadElements(in: folder)
        try folder.write(artifact: artifactJSON(height: 1))
        let arguments = into ? ["merge", "--into", base, folder.subpath("bucket"), "-o", folder.subpath("out.json")]
            : ["merge", base, folder.subpath("bucket"), "-o", folder.subpath("out.json")]
        let (run, peak, seconds) = try measured(arguments, in: folder)
        #expect(run.status == 1)
        #expect(run.errorLines == [
            "error: \(base)[0]: expected a JSON object (one artifact), found an integer (a catalog's artifacts are never dropped: nothing written)",
        ])
        #expect(peak < 2 * size + 50_000_000, "peak RSS \(peak / 1_000_000) MB for a \(size / 1_000_000) MB file")
        #expect(seconds < 10, "took \(seconds) s")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("out.json")))
    }

    @Test("catalog and build stop at 100 bad entries of the same file, in bounded memory, with one line",
          arguments: ["catalog", "build"])
    func sixteenMillionBadElementsPublished(verb: String) throws {
        let folder = try TemporaryFolder()
        let (base, size) = try sixteenMillionBadElements(in: folder)
        let arguments = verb == "catalog" ? ["catalog", base, "--org", "Test", "-o", folder.subpath("out.json")]
            : ["build", base, "--site", Shots.packageRoot.appendingPathComponent("site").path,
               "--templates", Shots.packageRoot.appendingPathComponent("templates").path, "-o", folder.subpath("out")]
        let (run, peak, seconds) = try measured(arguments, in: folder)
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1, "\(run.errorLines.prefix(3))")
        #expect(run.stderr.contains("\(base): 100 or more entries are invalid (the first: \(base)[0]: expected a JSON object"), "\(run.stderr)")
        #expect(peak < 2 * size + 50_000_000, "peak RSS \(peak / 1_000_000) MB for a \(size / 1_000_000) MB file")
        #expect(seconds < 10, "took \(seconds) s")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("out.json")) && !FileManager.default.fileExists(atPath: folder.subpath("out/index.html")))
    }

    @Test("the first bad element in file order is named, the same on every run, whatever comes after it")
    func firstBadElementInFileOrder() throws {
        let folder = try TemporaryFolder()
        let good = (1...5000).map { TemporaryFolder.textOf(artifactJSON(height: $0)) }
        var elements = good
        elements[4321] = TemporaryFolder.textOf(artifactJSON(height: 4322), ["sha256": .string("x")])
        elements[4700] = "{\"a\": 1,, }"
        elements[4999] = "7"
        let base = try folder.write("base.json", "[" + elements.joined(separator: ",\n") + "]")
        for _ in 1...3 {
            let run = try Shots.run(["merge", base, "-o", folder.subpath("out.json")])
            #expect(run.status == 1)
            #expect(run.errorLines.count == 1)
            #expect(run.errorLines.first?.hasPrefix("error: \(base)[4321]: sha256: expected 64 lowercase hexadecimal digits") == true, "\(run.stderr)")
        }
        // With the bad artifact fixed, the syntax error after it is reported, with its line and column.
        elements[4321] = good[4321]
        try folder.write("base.json", "[" + elements.joined(separator: ",\n") + "]")
        let line = 1 + elements[..<4700].reduce(0) { $0 + $1.filter { $0 == "\n" }.count } + 4700
        let run = try Shots.run(["merge", base, "-o", folder.subpath("out.json")])
        #expect(run.errorLines == [
            "error: \(base): not valid JSON: expected a member name in quotes at line \(line), column 9 (a catalog's artifacts are never dropped: nothing written)",
        ])
    }

    @Test("an error about a 1 MiB number quotes at most 60 characters of it, in a single file and in a base.json")
    func hugeNumberQuotedShort() throws {
        let folder = try TemporaryFolder()
        let digits = String(repeating: "9", count: 1_000_000)
        let text = TemporaryFolder.textOf(artifactJSON(height: 3), ["block_height": .number(digits)])
        let single = try folder.write("one.json", text)
        let base = try folder.write("base.json", "[" + text + "]")
        let shown = "expected a non-negative integer, found the number " + String(repeating: "9", count: 57) + "..."

        let alone = try Shots.run(["merge", single, "-o", folder.subpath("out.json")])
        #expect(alone.status == 2)
        #expect(alone.errorLines == ["\(single): block_height: \(shown)"])
        let inCatalog = try Shots.run(["merge", base, "-o", folder.subpath("out.json")])
        #expect(inCatalog.status == 1)
        #expect(inCatalog.errorLines == ["error: \(base)[0]: block_height: \(shown) (a catalog's artifacts are never dropped: nothing written)"])
        #expect((alone.stderr + inCatalog.stderr).count < 600)
    }

    @Test("a byte order mark inside an element is refused by the parallel reader of base.json and the strict parser of one file, for the same reason",
          arguments: [false, true])
    func byteOrderMarkInside(insideTheObject: Bool) throws {
        let (reason, insert): (String, (String) -> String) = insideTheObject
            ? ("expected a member name in quotes", { "{\u{FEFF}" + $0.dropFirst() })
            : ("unexpected character 0xEF", { "\u{FEFF}" + $0 })
        let place = insideTheObject ? "inside the object" : "before the object"
        let folder = try TemporaryFolder()
        let object = TemporaryFolder.textOf(artifactJSON(height: 3))
        // After a space, a byte order mark is no longer at the very start of the file.
        let single = try folder.write("bucket/tezos-mainnet-rolling-tarball-3.lz4.json", " " + insert(object))
        let base = try folder.write("base.json", "[" + insert(object) + "]")

        let strict = try Shots.run(["merge", single, "-o", folder.subpath("out.json")])
        #expect(strict.status == 2)
        #expect(strict.errorLines.count == 1)
        #expect(strict.errorLines.first?.hasPrefix("\(single): not valid JSON: \(reason) at line 1, column ") == true, "\(place): \(strict.stderr)")
        let parallel = try Shots.run(["merge", base, "-o", folder.subpath("out.json")])
        #expect(parallel.status == 1)
        #expect(parallel.errorLines.count == 1)
        #expect(parallel.errorLines.first?.hasPrefix("error: \(base): not valid JSON: \(reason) at line 1, column ") == true, "\(place): \(parallel.stderr)")
    }

    @Test("a byte order mark at the very start of a file is allowed, in a base.json and in one artifact's file")
    func byteOrderMarkAtStart() throws {
        let folder = try TemporaryFolder()
        let object = TemporaryFolder.textOf(artifactJSON(height: 3))
        let single = try folder.write("one.json", "\u{FEFF}" + object)
        let base = try folder.write("base.json", "\u{FEFF}[" + TemporaryFolder.textOf(artifactJSON(height: 4)) + "]")
        let run = try Shots.run(["merge", single, base, "-o", folder.subpath("out.json")])
        #expect(run.status == 0, "\(run.stderr)")
        guard case .array(let merged) = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("out.json")))) else {
            Issue.record("not an array")
            return
        }
        #expect(merged.count == 2)
    }

    @Test("an element of a base.json over 1 MiB is refused before it is parsed, like a single file over 1 MiB")
    func oversizedElement() throws {
        let folder = try TemporaryFolder()
        let huge = "[" + String(repeating: "1,", count: 599_999) + "1]"
        let base = try folder.write("base.json", "[" + TemporaryFolder.textOf(artifactJSON(height: 3)) + ", " + huge + "]")
        let run = try Shots.run(["merge", base, "-o", folder.subpath("out.json")])
        #expect(run.status == 1)
        #expect(run.errorLines == ["error: \(base)[1]: 1.1 MiB is over the 1.0 MiB limit; refusing to parse it (a catalog's artifacts are never dropped: nothing written)"])
    }
}

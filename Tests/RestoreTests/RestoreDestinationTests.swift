import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport
@testable import Pipeline
@testable import Restore

/// DEST around a swap: kept paths, what killed runs left behind, and the LZ4 stream's edges.
struct RestoreDestinationTests {
    @Test("a swap replaces DEST's entries with the staged ones; top-level kept entries never move, deeper ones are copied over the snapshot's")
    func swap() throws {
        let folder = try TemporaryFolder()
        let dest = folder.subpath("dest")
        try folder.write("dest/lost+found/x", "fsck's")
        try folder.write("dest/node/data/identity.json", "mine")
        try folder.write("dest/old.txt", "old")
        let destination = try RestoreDestination.prepare(dest, kept: ["lost+found", "node/data/identity.json"])
        try folder.write("dest/\(PathText.name(destination.staging))/tree/node/data/context.bin", "new")
        try folder.write("dest/\(PathText.name(destination.staging))/tree/node/data/identity.json", "the snapshot's")
        var before = stat()
        lstat(dest + "/lost+found", &before)
        try destination.swapIn()
        destination.discard()
        #expect(RestoreDestination.entries(of: dest) == ["lost+found", "node"])
        #expect(try String(contentsOfFile: dest + "/node/data/identity.json", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: dest + "/node/data/context.bin", encoding: .utf8) == "new")
        var after = stat()
        lstat(dest + "/lost+found", &after)
        #expect(after.st_ino == before.st_ino, "lost+found stayed where it was")
    }

    @Test("a --free-first run that was killed left the kept paths aside: the next run puts them back; a swap left half done stops the next run")
    func killedRuns() throws {
        let folder = try TemporaryFolder()
        let dest = folder.subpath("dest")
        try folder.write("dest/.shots-restore-999999/kept/node/data/identity.json", "mine")
        try folder.write("dest/.shots-restore-999999/tree/node/partial", "partial")
        let destination = try RestoreDestination.prepare(dest, kept: [])
        destination.discard()
        #expect(RestoreDestination.entries(of: dest) == ["node"])
        #expect(try String(contentsOfFile: dest + "/node/data/identity.json", encoding: .utf8) == "mine")

        try folder.write("dest/.shots-restore-999998/old/node/data/store.bin", "the previous data")
        let problem = #expect(throws: Problem.self) { try RestoreDestination.prepare(dest, kept: []) }
        #expect(problem?.reason.contains("a restore was stopped while swapping") == true)
        #expect(FileManager.default.fileExists(atPath: dest + "/.shots-restore-999998/old/node/data/store.bin"))
    }

    @Test("a kept path is not copied through a link the snapshot put in its way")
    func keptThroughALink() throws {
        let folder = try TemporaryFolder()
        let dest = folder.subpath("dest")
        try folder.write("dest/node/data/identity.json", "mine")
        let destination = try RestoreDestination.prepare(dest, kept: ["node/data/identity.json"])
        try FileManager.default.createDirectory(atPath: destination.tree + "/node", withIntermediateDirectories: true)
        symlink(folder.subpath("elsewhere"), destination.tree + "/node/data")
        let problem = #expect(throws: Problem.self) { try destination.swapIn() }
        #expect(problem?.reason.contains("the snapshot has a symbolic link at node/data") == true)
        destination.discard()
        #expect(try String(contentsOfFile: dest + "/node/data/identity.json", encoding: .utf8) == "mine")
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("elsewhere")))
    }

    @Test("frames whose content ends exactly where an output buffer fills decode whole; a cut stream is named truncated",
          arguments: Compression.allCases)
    func decoderEdges(_ compression: Compression) throws {
        let folder = try TemporaryFolder()
        // Half random (stored), half repeated: 8 MiB, two of the decoder's 4 MiB outputs exactly.
        var generator = SystemRandomNumberGenerator()
        let content = Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }) + Data(repeating: 7, count: 4 << 20)
        try content.write(to: URL(fileURLWithPath: folder.subpath("content")))
        // As pack makes them: one frame per 4 MiB of input, so each frame ends as an output fills.
        var compressed = Data()
        let frames = FrameStream(compression) { bytes throws(Problem) in compressed.append(contentsOf: bytes) }
        var failure: Problem?
        content.withUnsafeBytes { bytes in
            do throws(Problem) { try frames.write(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
        try frames.finish()
        // The stock CLI reads the same stream back.
        let file = folder.subpath("content." + compression.fileExtension)
        try compressed.write(to: URL(fileURLWithPath: file))
        let checked = try runTool(["sh", "-c", "\(compression.decompressCommand) -q -c \"$0\" > \"$1\"", file, folder.subpath("back")])
        #expect(checked.status == 0 && (try? Data(contentsOf: URL(fileURLWithPath: folder.subpath("back")))) == content, "\(checked.stderr)")
        func decode(_ bytes: Data) throws(Problem) -> Data {
            var chunks = [bytes].makeIterator()
            var held = Data()
            let decoder = FrameDecoder(compression, origin: "test") { () throws(Problem) -> UnsafeRawBufferPointer? in
                guard let chunk = chunks.next() else { return nil }
                held = Data(chunk)
                return held.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
            }
            var output = Data()
            while let piece = try decoder.next() { output.append(contentsOf: piece) }
            return output
        }
        #expect(try decode(compressed) == content)
        let problem = #expect(throws: Problem.self) { try decode(compressed.prefix(compressed.count - 3)) }
        #expect(problem?.reason.contains("truncated") == true || problem?.reason.contains("not a valid") == true, "\(problem?.description ?? "")")
    }
}

import CLZ4
import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@testable import Pipeline

@Suite("pipeline parts: LZ4 frames, minisign keys, exclusions, progress")
struct PipelineTests {
    /// A stream of `count` bytes that compresses somewhat, like a node's store.
    func input(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { index in
            if index % 8 == 0 { state ^= state << 13; state ^= state >> 7; state ^= state << 17 }
            return index % 32 < 12 ? UInt8(truncatingIfNeeded: state >> ((index % 8) * 8)) : UInt8(index / 4096 % 251)
        }
    }

    /// Compresses `bytes` fed in pieces of `piece` bytes, with `inFlight` chunks at a time.
    func compress(_ bytes: [UInt8], piece: Int, inFlight: Int, _ compression: Compression = .lz4) throws -> [UInt8] {
        var output: [UInt8] = []
        let stream = FrameStream(compression, inFlight: inFlight) { frame throws(Problem) in output += frame }
        for start in stride(from: 0, to: bytes.count, by: piece) {
            try bytes[start..<min(start + piece, bytes.count)].withUnsafeBytes { try stream.write($0) }
        }
        try stream.finish()
        return output
    }

    /// liblz4's own frame decoder, in process: every frame in turn, to the end of the input.
    func decompress(_ compressed: [UInt8]) throws -> [UInt8] {
        var context: OpaquePointer?
        #expect(LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0)
        defer { LZ4F_freeDecompressionContext(context) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < compressed.count {
            var produced = buffer.count
            var consumed = compressed.count - offset
            let hint = compressed.withUnsafeBytes { source in
                buffer.withUnsafeMutableBytes { target in
                    LZ4F_decompress(context, target.baseAddress, &produced, source.baseAddress! + offset, &consumed, nil)
                }
            }
            try #require(LZ4F_isError(hint) == 0, "\(String(cString: LZ4F_getErrorName(hint)))")
            output += buffer[..<produced]
            offset += consumed
            if consumed == 0 && produced == 0 { break }
        }
        return output
    }

    @Test("the frames decompress with liblz4 in process and with the stock lz4 -d to the same bytes")
    func framesRoundTrip() throws {
        let bytes = input(FrameStream.chunkSize * 3 + 12_345)
        let compressed = try compress(bytes, piece: 65_536, inFlight: 4)
        #expect(compressed.count < bytes.count)
        #expect(try decompress(compressed) == bytes)
    }

    @Test("the frames of each compression decompress with its stock CLI (lz4 -d, zstd -d) to the same bytes", arguments: Compression.allCases)
    func stockRoundTrip(_ compression: Compression) throws {
        let bytes = input(FrameStream.chunkSize * 3 + 12_345)
        let compressed = try compress(bytes, piece: 65_536, inFlight: 4, compression)
        #expect(compressed.count < bytes.count)
        let folder = try TemporaryFolder()
        let file = folder.subpath("x." + compression.fileExtension)
        try Data(compressed).write(to: URL(fileURLWithPath: file))
        let result = try runTool(["sh", "-c", "\(compression.decompressCommand) -q -c \"$0\" > \"$1\"", file, folder.subpath("x")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: folder.subpath("x")) == Data(bytes))
        // One independent frame per 4 MiB chunk: 4 frames, each checked by its own checksum.
        if compression == .zstd {
            let listed = try runTool(["zstd", "-l", "-v", file])
            #expect(listed.stdout.contains("Frames: 4"), "\(listed.stdout)")
            #expect(listed.stdout.contains("XXH64"), "\(listed.stdout)")
        }
    }

    @Test("the output bytes do not depend on threads or on how the input arrives", arguments: Compression.allCases)
    func deterministic(_ compression: Compression) throws {
        let bytes = input(FrameStream.chunkSize * 2 + 999)
        let reference = try compress(bytes, piece: 1_000_003, inFlight: 1, compression)
        #expect(try compress(bytes, piece: 4096, inFlight: 8, compression) == reference)
        #expect(try compress(bytes, piece: bytes.count, inFlight: 2, compression) == reference)
        #expect(try compress([], piece: 1, inFlight: 2, compression).isEmpty)
    }

    @Test("a Substrate block's Timestamp.Now reads as SCALE's u64: little-endian milliseconds")
    func substrateTimestamp() {
        #expect(SubstrateRPC.littleEndianU64("0x" + "e00992898f010000") == 1_716_000_000_480)
        #expect(SubstrateRPC.littleEndianU64("0x0100000000000000") == 1)
        for bad in ["0x01", "e0a5f3b98f010000", "0x" + "zz" + String(repeating: "0", count: 14), "0x" + String(repeating: "0", count: 18)] {
            #expect(SubstrateRPC.littleEndianU64(bad) == nil, "\(bad)")
        }
    }

    @Test("a failing sink stops the stream with its error")
    func sinkFailure() throws {
        let stream = FrameStream(inFlight: 2) { _ throws(Problem) in throw Problem(origin: "out.lz4", reason: "cannot write: No space left on device") }
        let bytes = input(FrameStream.chunkSize * 3)
        #expect(throws: Problem(origin: "out.lz4", reason: "cannot write: No space left on device")) {
            try bytes.withUnsafeBytes { try stream.write($0) }
            try stream.finish()
        }
    }

    @Test("a generated key reads back, signs, and refuses tampering")
    func keys() throws {
        let key = Minisign.SecretKey.generate()
        let reread = try Minisign.SecretKey(text: key.secretKeyFile, origin: "shots.key")
        #expect(reread.publicKeyText == key.publicKeyText)
        #expect(key.publicKeyFile.hasPrefix("untrusted comment: minisign public key "))
        let signature = try reread.signature(of: Data("abc  x.lz4\n".utf8), trustedComment: "timestamp:1\tfile:x.lz4.sha256\thashed")
        #expect(signature.split(separator: "\n").count == 4)
        #expect(signature.contains("trusted comment: timestamp:1\tfile:x.lz4.sha256\thashed\n"))

        var record = Array(Data(base64Encoded: String(key.secretKeyFile.split(separator: "\n")[1]))!)
        record[70] ^= 1  // one bit of the secret
        #expect(throws: Problem(origin: "shots.key", reason: "not a usable minisign secret key: its checksum does not match (damaged, or encrypted)")) {
            try Minisign.SecretKey(text: Data(record).base64EncodedString(), origin: "shots.key")
        }
        // With the checksum left zero (as `minisign -G -W` writes it), the halves must still belong together.
        for index in 126..<158 { record[index] = 0 }
        #expect(throws: Problem(origin: "shots.key", reason: "not a usable minisign secret key: its public half does not belong to its secret half")) {
            try Minisign.SecretKey(text: Data(record).base64EncodedString(), origin: "shots.key")
        }
    }

    @Test("exclusions: paths with a slash match from the root, bare names match anywhere")
    func exclusions() {
        let rules = ExclusionRules(["node/data/identity.json", "lost+found", "keystore/"])
        #expect(rules.excludes("node/data/identity.json"))
        #expect(!rules.excludes("node/data/store/identity.json"))
        #expect(!rules.excludes("backup/node/data/identity.json"))
        #expect(rules.excludes("lost+found"))
        #expect(rules.excludes("node/lost+found"))
        #expect(rules.excludes("keystore"))
        #expect(!rules.excludes("node/data/lock"))
        // Names as the file system spells them, not necessarily UTF-8.
        #expect(rules.excludes(bytes: Array("node/".utf8) + [0xFF] + Array("/lost+found".utf8)))
        #expect(!rules.excludes(bytes: Array("node/data/identity.json".utf8) + [0xFF]))
    }

    @Test("a path that is not UTF-8 is shown with its odd bytes escaped, so two such names stay apart in a message")
    func shownPaths() {
        #expect((Array("a-".utf8) + [0xFF]).shownAsPath == "a-\\xff")
        #expect((Array("a-".utf8) + [0xFE]).shownAsPath == "a-\\xfe")
        #expect(Array("caf\u{e9}/\u{1F600}".utf8).shownAsPath == "caf\u{e9}/\u{1F600}")
        #expect(([0xC3] + Array("x".utf8)).shownAsPath == "\\xc3x")
    }

    @Test("progress: a bar redrawn in place on a terminal, plain lines for logs")
    func progress() {
        var bar: [String] = []
        let onTerminal = PackProgress(style: .bar, label: "packing") { bar.append($0) }
        onTerminal.start(total: 1000 << 20)
        let line = onTerminal.render(done: 250 << 20, output: 100 << 20, now: Date().addingTimeInterval(1))
        #expect(line.hasPrefix("\r\u{1B}[2Kpacking ["))
        #expect(line.contains(" 25% 250.0 MiB of 1000.0 MiB"))
        #expect(line.contains("left"))

        var lines: [String] = []
        let inLogs = PackProgress(style: .lines, label: "packing", interval: 0) { lines.append($0) }
        inLogs.start(total: 100)
        inLogs.update(done: 50, output: 20)
        inLogs.finish(done: 100, output: 40)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains("\r") && !$0.contains("\u{1B}") && $0.hasSuffix("\n") })
        #expect(lines[0].hasPrefix("packing: 50%"))
        #expect(lines[1].contains("wrote 40 B"))
    }

    @Test("pack inputs: one source per input, in a fixed order, with the flag or file named when unusable")
    func inputs() throws {
        let folder = try TemporaryFolder()
        let hash = "BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2"
        var inputs = PackInputs(blockHeight: "7", blockHash: hash, blockTimestamp: "2024-01-01T00:00:00Z", blockInfoDir: folder.path)
        #expect(throws: Problem(origin: "block info", reason: "give one of --block-height/--block-hash/--block-timestamp, --block-info-dir or --rpc")) {
            try inputs.block(family: .tezos)
        }
        inputs.blockInfoDir = nil
        #expect(try inputs.block(family: .tezos) == BlockInfo(height: 7, hash: hash, timestamp: "2024-01-01T00:00:00Z"))
        inputs.blockHash = nil
        #expect(throws: Problem.self) { try inputs.block(family: .tezos) }
        // A Substrate snapshot's time defaults to when it is taken.
        let substrate = PackInputs(blockHeight: "7", blockHash: "0x" + String(repeating: "0f", count: 32))
        #expect(BlockTimestamp(try substrate.block(family: .polkadot).timestamp) != nil)

        let fileKey = Minisign.SecretKey.generate(), environmentKey = Minisign.SecretKey.generate()
        let keyFile = try folder.write("shots.key", fileKey.secretKeyFile)
        var keyed = PackInputs(signingKeyFile: keyFile, environment: ["SHOTS_SIGNING_KEY": environmentKey.secretKeyFile])
        #expect(try keyed.signingKey()?.publicKeyText == fileKey.publicKeyText)
        keyed.signingKeyFile = nil
        #expect(try keyed.signingKey()?.publicKeyText == environmentKey.publicKeyText)
        keyed.unsigned = true
        #expect(try keyed.signingKey() == nil)
        #expect(throws: Problem.self) { try PackInputs().signingKey() }
        #expect(throws: Problem(origin: folder.subpath("missing.key"),
                                reason: "cannot be used: no such file; expected a minisign secret key file")) {
            try PackInputs(signingKeyFile: folder.subpath("missing.key")).signingKey()
        }

        #expect(try PackInputs(environment: ["SOURCE_DATE_EPOCH": "1700000000"]).signingTime() == 1_700_000_000)
        #expect(throws: Problem(origin: "SOURCE_DATE_EPOCH", reason: "expected a whole number of seconds since 1970, found \"soon\"")) {
            try PackInputs(environment: ["SOURCE_DATE_EPOCH": "soon"]).signingTime()
        }
        let version = try folder.write("version.txt", "polkadot 1.11.0-0bb6249268c\n")
        #expect(try PackInputs(nodeVersionFile: version).substrateVersion() == "1.11.0-0bb6249268c")
        let empty = try folder.write("empty.txt", "\n")
        #expect(throws: Problem.self) { try PackInputs(nodeVersionFile: empty).substrateVersion() }
    }
}

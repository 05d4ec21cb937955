import Foundation
import Testing
import TestSupport

@Suite("shots pack: file names are data, hard links stay links", .serialized)
struct PackFileNamesTests {
    static let artifact = "out/tezos-mainnet-rolling-tarball-5000000.lz4"

    /// The fixture plus names that are not UTF-8 (made by bash's printf, byte for byte) and hard links,
    /// packed and extracted with the stock `lz4 -d | tar -x`.
    func packAndExtract(_ folder: TemporaryFolder) throws -> (data: TezosDataDir, extracted: String) {
        let data = try TezosDataDir(in: folder)
        let made = try shell("""
            set -euo pipefail
            cd '\(data.root)/node/data'
            printf one > "a-$(printf '\\xff')"
            printf two > "a-$(printf '\\xfe')"
            mkdir "dir-$(printf '\\xfd')"
            printf three > "dir-$(printf '\\xfd')/inner-$(printf '\\xfc')"
            ln -s "target-$(printf '\\xfa')" "link-$(printf '\\xfb')"
            printf shared > h1
            ln h1 store/h2
            ln identity.json store/identity-copy
            """)
        #expect(made.status == 0, "\(made.stderr)")
        let run = try pack(data, folder, extra: ["--unsigned", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let extracted = folder.subpath("extracted")
        let extract = try shell("mkdir '\(extracted)' && lz4 -dc '\(folder.subpath(Self.artifact))' | tar -x -C '\(extracted)'")
        #expect(extract.status == 0, "\(extract.stderr)")
        return (data, extracted)
    }

    @Test("names and link targets that are not UTF-8 come back byte for byte, each file with its own contents")
    func bytesKept() throws {
        let folder = try TemporaryFolder()
        let (data, extracted) = try packAndExtract(folder)
        var expected = RawTree(data.root).entries
        for secret in TezosDataDir.secrets.map({ Array($0.utf8) }) {
            expected = expected.filter { !($0.key == secret || $0.key.starts(with: secret + [UInt8(ascii: "/")])) }
        }
        let back = RawTree(extracted).entries
        #expect(Set(back.keys) == Set(expected.keys), "\(Set(back.keys).symmetricDifference(expected.keys).map(\.shownForTest))")
        for (path, entry) in expected { #expect(back[path]?.sameAs(entry) == true, "\(path.shownForTest)") }
        let node = Array("node/data/".utf8)
        #expect(back[node + Array("a-".utf8) + [0xFF]]?.contents == Data("one".utf8))
        #expect(back[node + Array("a-".utf8) + [0xFE]]?.contents == Data("two".utf8))
        #expect(back[node + Array("dir-".utf8) + [0xFD] + Array("/inner-".utf8) + [0xFC]]?.contents == Data("three".utf8))
        #expect(back[node + Array("link-".utf8) + [0xFB]]?.target == Array("target-".utf8) + [0xFA])
        // GNU tar's own listing of the same names agrees, byte for byte.
        let names = try shell("lz4 -dc '\(folder.subpath(Self.artifact))' | tar --quoting-style=literal -t | od -An -c | tr -d ' \\n'")
        #expect(names.stdout.contains("a-377") && names.stdout.contains("a-376") && !names.stdout.contains("357277275"), "\(names.stdout)")
    }

    @Test("a hard link pair comes back as one file with two names; a name left out never takes the other's contents away")
    func hardLinks() throws {
        let folder = try TemporaryFolder()
        let (data, extracted) = try packAndExtract(folder)
        var first = stat(), second = stat()
        #expect(lstat(extracted + "/node/data/h1", &first) == 0 && lstat(extracted + "/node/data/store/h2", &second) == 0)
        #expect(first.st_ino == second.st_ino)
        #expect(first.st_nlink == 2)
        #expect(FileManager.default.contents(atPath: extracted + "/node/data/store/h2") == Data("shared".utf8))
        let listing = try shell("lz4 -dc '\(folder.subpath(Self.artifact))' | tar -tv")
        #expect(listing.stdout.contains("node/data/store/h2 link to node/data/h1") || listing.stdout.contains("node/data/h1 link to node/data/store/h2"),
                "\(listing.stdout)")
        // identity.json is left out, but its other name is an ordinary file of the data dir: packed whole.
        #expect(FileManager.default.contents(atPath: extracted + "/node/data/store/identity-copy")
                == FileManager.default.contents(atPath: data.root + "/node/data/identity.json"))
        #expect(!FileManager.default.fileExists(atPath: extracted + "/node/data/identity.json"))
        #expect(!listing.stdout.contains("link to node/data/identity.json"))
    }
}

/// A folder tree read with readdir, names as the bytes the file system holds (never `String`).
struct RawTree {
    struct Entry {
        var kind: mode_t
        var mode: mode_t
        var contents: Data?
        var target: [UInt8]?

        func sameAs(_ other: Entry) -> Bool {
            kind == other.kind && (kind == S_IFLNK || mode == other.mode) && contents == other.contents && target == other.target
        }
    }

    var entries: [[UInt8]: Entry] = [:]

    init(_ root: String) { walk(Array(root.utf8), relative: []) }

    private mutating func walk(_ folder: [UInt8], relative: [UInt8]) {
        guard let directory = folder.withUnsafeCString(opendir) else { return }
        defer { closedir(directory) }
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let path = folder + [0x2F] + name
            let inside = relative.isEmpty ? name : relative + [0x2F] + name
            var status = stat()
            guard path.withUnsafeCString({ lstat($0, &status) }) == 0 else { continue }
            var entry = Entry(kind: status.st_mode & S_IFMT, mode: status.st_mode & 0o7777)
            if entry.kind == S_IFREG { entry.contents = Self.contents(path) }
            if entry.kind == S_IFLNK {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = path.withUnsafeCString { readlink($0, &buffer, buffer.count) }
                entry.target = Array(buffer.prefix(max(count, 0)))
            }
            entries[inside] = entry
            if entry.kind == S_IFDIR { walk(path, relative: inside) }
        }
    }

    private static func contents(_ path: [UInt8]) -> Data? {
        let descriptor = path.withUnsafeCString { open($0, O_RDONLY) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case let count = read(descriptor, &buffer, buffer.count), count > 0 { data.append(contentsOf: buffer.prefix(count)) }
        return data
    }
}

extension [UInt8] {
    func withUnsafeCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (self + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    var shownForTest: String { map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x\(String($0, radix: 16))" }.joined() }
}

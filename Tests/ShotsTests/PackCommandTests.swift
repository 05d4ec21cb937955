import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("shots pack: artifacts from a node's data dir", .serialized)
struct PackCommandTests {
    func keys(_ folder: TemporaryFolder) throws -> (secret: String, public: String) {
        let made = try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")])
        #expect(made.status == 0, "\(made.stderr)")
        return (folder.subpath("keys/shots.key"), folder.subpath("keys/shots.pub"))
    }

    /// Every name in `folder`, hidden ones included: nothing half-written may stay behind.
    func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("a packed tarball extracts with lz4 -d | tar -x into the same tree, without identity, peers, lock or lost+found; sha256sum -c and minisign -V pass")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let key = try keys(folder)
        let run = try pack(data, folder, key: key.secret)
        #expect(run.status == 0, "\(run.stderr)")
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        #expect(leftovers(folder.subpath("out")) == [name, name + ".json", name + ".sha256", name + ".sha256.minisig"])

        let extract = try shell("""
            set -euo pipefail
            cd '\(folder.subpath("out"))'
            sha256sum -c '\(name).sha256'
            minisign -Vm '\(name).sha256' -p '\(key.public)'
            mkdir ../extracted && lz4 -dc '\(name)' | tar -x -C ../extracted
            """)
        #expect(extract.status == 0, "\(extract.stdout)\(extract.stderr)")
        #expect(extract.stdout.contains("\(name): OK"))
        #expect(extract.stderr.contains("Signature and comment signature verified") || extract.stdout.contains("Signature and comment signature verified"))

        var expected = TreeEntry.tree(data.root)
        for secret in TezosDataDir.secrets { expected = expected.filter { !($0.key == secret || $0.key.hasPrefix(secret + "/")) } }
        let extracted = TreeEntry.tree(folder.subpath("extracted"))
        #expect(Set(extracted.keys) == Set(expected.keys))
        for (path, entry) in expected { #expect(extracted[path] == entry, "\(path)") }
        #expect(extracted["node/data/store/outside"]?.target == "/etc/passwd")
        #expect(extracted["node/data/store/loop-a"]?.target == "loop-b")
        #expect(extracted["node/data/store/upgrade.sh"]?.mode == 0o755)
        #expect(extracted["node/data/store/owner-only"]?.mode == 0o600)
        #expect(extracted["node/data/config.json"]?.modified == 1_600_000_000)
        #expect(expected.keys.contains { $0.count > 100 })  // GNU long names are exercised
        for secret in TezosDataDir.secrets { #expect(extracted[secret] == nil) }
        let everything = try shell("lz4 -dc '\(folder.subpath("out/" + name))' | strings")
        #expect(!everything.stdout.contains("edsk-do-not-publish"))
    }

    @Test("the metadata describes the artifact as it is stored, and merges into a catalog")
    func metadata() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let run = try pack(data, folder, profile: "tezos-archive", extra: ["--unsigned", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let name = "tezos-mainnet-archive-tarball-5000000.lz4"
        let path = folder.subpath("out/" + name)
        let json = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: path + ".json")))
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let sum = try shell("sha256sum '\(path)' | cut -d' ' -f1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(json["sha256"] == .string(sum))
        #expect(json["filesize_bytes"] == .integer(Int64(size)))
        #expect(json["url"] == .string("https://mainnet.xtz-shots.io/" + name))
        #expect(json["history_mode"] == .string("archive"))
        #expect(json["artifact_type"] == .string("tarball"))
        #expect(json["chain_name"] == .string("mainnet"))
        #expect(json["block_height"] == .integer(5_000_000))
        #expect(json["tezos_version"]?["version"]?["major"] == .integer(20))
        #expect(!leftovers(folder.subpath("out")).contains(name + ".sha256.minisig"))
        // The permalinks it reports are the ones the site's redirect plan writes (PermalinkNames).
        let summary = try JSONParser.parse(Data(run.stdout.utf8))
        #expect(summary["permalinks"] == .object(["bucket": .array([.string("archive-tarball"), .string("archive-tarball-metadata")]),
                                                  "site": .array([.string("/mainnet/archive-tarball"), .string("/mainnet/archive-tarball-metadata")])]))
        #expect(try JSONParser.parse(Data(run.stdout.utf8))["artifact"] == json)

        let merged = try Shots.run(["merge", folder.subpath("out"), "-o", folder.subpath("base.json")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("base.json")))) == .array([json]))
    }

    @Test("block info from the init container's files, and from the node's RPC")
    func blockInfoSources() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try folder.write("block/BLOCK_HEIGHT", "5100200\n")
        try folder.write("block/BLOCK_HASH", TezosDataDir.blockHash + "\n")
        try folder.write("block/BLOCK_TIMESTAMP", "2024-06-21T00:00:00Z\n")
        let fromFiles = try Shots.run(["pack", data.root, "--profile", "tezos-rolling", "--network", "ghostnet", "--unsigned", "-q",
                                       "--base-url", "https://ghostnet.xtz-shots.io", "--block-info-dir", folder.subpath("block"),
                                       "--node-version", folder.subpath("version.json"), "-o", folder.subpath("files")])
        #expect(fromFiles.status == 0, "\(fromFiles.stderr)")
        let fromFilesJSON = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("files/tezos-ghostnet-rolling-tarball-5100200.lz4.json"))))
        #expect(fromFilesJSON["block_hash"] == .string(TezosDataDir.blockHash))
        #expect(fromFilesJSON["block_timestamp"] == .string("2024-06-21T00:00:00Z"))

        let node = try ListeningProcess(announcingPort: ["python3", Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/node-rpc-stand-in.py").path])
        let fromRPC = try Shots.run(["pack", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--unsigned", "-q",
                                     "--base-url", "https://mainnet.xtz-shots.io", "--rpc", "http://127.0.0.1:\(node.port)",
                                     "-o", folder.subpath("rpc")])
        #expect(fromRPC.status == 0, "\(fromRPC.stderr)")
        let json = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("rpc/tezos-mainnet-rolling-tarball-6123456.lz4.json"))))
        #expect(json["block_timestamp"] == .string("2024-07-01T08:30:15Z"))
        #expect(json["tezos_version"]?["commit_info"]?["commit_hash"] == .string("c5e3f8b0"))
    }

    @Test("a rolling snapshot is exported by the node binary, described with its snapshot_version, hashed and signed")
    func rollingSnapshot() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try folder.write("data/node/data/stand-in-head.json", #"{"hash": "\#(TezosDataDir.blockHash)", "level": 5000000, "timestamp": "2024-06-20T10:00:00Z"}"#)
        let key = try keys(folder)
        let standIn = Shots.packageRoot.appendingPathComponent("Tests/ShotsTests/octez-node-stand-in.py").path
        let run = try pack(data, folder, profile: "tezos-rolling-snapshot", extra: ["--node-bin", standIn], key: key.secret)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Snapshot exported"))  // the node's log reaches the job's log
        let name = "mainnet-5000000.rolling"
        #expect(leftovers(folder.subpath("out")) == [name, name + ".json", name + ".sha256", name + ".sha256.minisig"])
        let json = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("out/\(name).json"))))
        #expect(json["snapshot_version"] == .integer(7))
        #expect(json["artifact_type"] == .string("tezos-snapshot"))
        let verify = try shell("cd '\(folder.subpath("out"))' && sha256sum -c \(name).sha256 && minisign -Vm \(name).sha256 -p '\(key.public)'")
        #expect(verify.status == 0, "\(verify.stderr)")

        // The node refusing (an unknown block) stops the run and leaves nothing.
        let refused = try pack(data, folder, profile: "tezos-rolling-snapshot", output: "refused",
                               extra: ["--node-bin", standIn, "--block-hash", "BLockGenesisGenesisGenesisGenesisGenesisd1f7bcGMoXy"], key: key.secret)
        #expect(refused.status == 1)
        #expect(refused.errorLines.last?.contains("snapshot export") == true, "\(refused.stderr)")
        #expect(leftovers(folder.subpath("refused")).isEmpty)

        // An export that does not hold the block asked for (the node moved on) is removed, export folder and all.
        let moved = try pack(data, folder, profile: "tezos-rolling-snapshot", output: "moved",
                             extra: ["--node-bin", standIn, "--block-height", "4999999"], key: key.secret)
        #expect(moved.status == 1)
        #expect(moved.errorLines.last?.contains("not the requested \(TezosDataDir.blockHash) at 4999999") == true, "\(moved.stderr)")
        #expect(leftovers(folder.subpath("moved")).isEmpty)
    }

    @Test("a Polkadot chain folder is packed without its keystore and network keys")
    func polkadot() throws {
        let folder = try TemporaryFolder()
        let chain = "dot/chains/polkadot"
        try folder.write(chain + "/db/full/000001.sst", String(repeating: "rocksdb ", count: 10_000))
        try folder.write(chain + "/keystore/6772616e0123", "\"secret seed\"")
        try folder.write(chain + "/network/secret_ed25519", "node key")
        try folder.write("polkadot-version.txt", "polkadot 1.11.0-0bb6249268c\n")
        let run = try Shots.run(["pack", folder.subpath("dot"), "--profile", "polkadot", "--unsigned", "--json",
                                 "--base-url", "https://polkadot-rocksdb.polkashots.io", "--block-height", "21000000",
                                 "--block-hash", "0x" + String(repeating: "ab", count: 32), "--pruning", "1000",
                                 "--node-version", folder.subpath("polkadot-version.txt"), "-o", folder.subpath("out")])
        #expect(run.status == 0, "\(run.stderr)")
        let name = "polkadot-21000000.rocksdb.tar.lz4"
        let listing = try shell("lz4 -dc '\(folder.subpath("out/" + name))' | tar -t")
        #expect(listing.stdout.split(separator: "\n").sorted() == ["db/", "db/full/", "db/full/000001.sst"])
        let json = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("out/\(name).json"))))
        #expect(json["database"] == .string("rocksdb"))
        #expect(json["node_version"] == .string("1.11.0-0bb6249268c"))
        #expect(json["chain"] == .string("polkadot"))
        let summary = try JSONParser.parse(Data(run.stdout.utf8))
        #expect(summary["permalinks"] == .object(["bucket": .array([.string("rocksdb"), .string("rocksdb-metadata")]),
                                                  "site": .array(["/polkadot/rocksdb/snapshot", "/polkadot/rocksdb/metadata", "/dot/rocksdb"].map(JSONValue.string))]))
    }

    @Test("bad input stops the run with one line naming what is wrong, and leaves no output behind")
    func badInput() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let key = try keys(folder)
        try folder.write("garbage.key", "untrusted comment: not a key\nAAAA\n")
        var encrypted = Array(Data(base64Encoded: String(try String(contentsOfFile: key.secret, encoding: .utf8).split(separator: "\n")[1]))!)
        encrypted[2] = UInt8(ascii: "S"); encrypted[3] = UInt8(ascii: "c")
        try folder.write("encrypted.key", "untrusted comment: minisign encrypted secret key\n" + Data(encrypted).base64EncodedString() + "\n")
        try FileManager.default.createDirectory(atPath: folder.subpath("empty"), withIntermediateDirectories: true)
        try folder.write("block/BLOCK_HEIGHT", "12x\n")
        try folder.write("block/BLOCK_HASH", TezosDataDir.blockHash)
        try folder.write("block/BLOCK_TIMESTAMP", "2024-06-21T00:00:00Z")

        let cases: [(name: String, arguments: [String], key: String?, expected: String)] = [
            ("missing data dir", ["--profile", "tezos-rolling"], key.secret, "the data dir cannot be opened"),
            ("bad key", [], folder.subpath("garbage.key"), "garbage.key: not a usable minisign secret key"),
            ("encrypted key", [], folder.subpath("encrypted.key"), "encrypted with a password"),
            ("no key", [], nil, "no signing key"),
            ("non-numeric height", ["--block-height", "abc"], key.secret, "--block-height: expected a block height (a whole number), found \"abc\""),
            ("bad hash", ["--block-hash", "B<script>"], key.secret, "--block-hash: expected a Tezos block hash"),
            ("bad time", ["--block-timestamp", "yesterday"], key.secret, "--block-timestamp: expected an ISO 8601 UTC time"),
            ("unknown profile", ["--profile", "tezos-full"], key.secret, "The value 'tezos-full' is invalid for '--profile <profile>'. Please provide one of the following: 'tezos-archive', 'tezos-rolling', 'tezos-archive-zstd'"),
        ]
        for (index, test) in cases.enumerated() {
            var input = data
            if test.name == "missing data dir" { input = TezosDataDir(root: folder.subpath("nowhere")) }
            let output = "out-\(index)"
            try FileManager.default.createDirectory(atPath: folder.subpath(output), withIntermediateDirectories: true)
            let run = try pack(input, folder, output: output, extra: test.arguments, key: test.key)
            #expect(run.status == 1, "\(test.name)")
            #expect(run.errorLines.count == 1 && run.errorLines[0].contains(test.expected), "\(test.name): \(run.stderr)")
            #expect(leftovers(folder.subpath(output)).isEmpty, "\(test.name)")
        }

        let empty = try Shots.run(["pack", folder.subpath("empty"), "--profile", "tezos-rolling", "--network", "mainnet", "--unsigned",
                                   "--base-url", "https://x.example.com", "--block-info-dir", folder.subpath("block"),
                                   "--node-version", folder.subpath("version.json"), "-o", folder.subpath("out-empty")])
        #expect(empty.status == 1)
        #expect(empty.errorLines == ["error: \(folder.subpath("block/BLOCK_HEIGHT")): expected a block height (a whole number), found \"12x\""])
        let emptyDir = try Shots.run(["pack", folder.subpath("empty"), "--profile", "tezos-rolling", "--network", "mainnet", "--unsigned",
                                      "--base-url", "https://x.example.com", "--block-height", "1", "--block-hash", TezosDataDir.blockHash,
                                      "--block-timestamp", "2024-06-21T00:00:00Z", "--node-version", folder.subpath("version.json"),
                                      "-o", folder.subpath("out-empty")])
        #expect(emptyDir.status == 1)
        #expect(emptyDir.errorLines.count == 1 && emptyDir.stderr.contains("nothing to pack: the folder is empty"), "\(emptyDir.stderr)")
        #expect(leftovers(folder.subpath("out-empty")).isEmpty)
    }

    @Test("a file over 8 GiB gets GNU tar's large-size header (the octal field stops at 8 GiB)")
    func largeFile() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let size: Int64 = 8 << 30 + 1
        let huge = data.root + "/node/data/store/huge.pack"
        #expect(truncate(huge, off_t(size)) == 0 || FileManager.default.createFile(atPath: huge, contents: nil) && truncate(huge, off_t(size)) == 0)
        let run = try pack(data, folder, extra: ["--unsigned", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        // GNU tar lists the header from the stream's first 50 MB: the 8 GiB of zeros after it need
        // not be decompressed for that (tar then stops at the cut, which is expected here).
        let listing = try shell("lz4 -dc '\(folder.subpath("out/tezos-mainnet-rolling-tarball-5000000.lz4"))' 2>/dev/null | head -c 50000000 | tar -tv 2>/dev/null | grep huge.pack")
        #expect(listing.stdout.contains(" \(size) "), "\(listing.stdout)")
        // The size field (offset 124) in GNU's base-256 form: its first byte has the high bit set.
        let field = try shell("""
            lz4 -dc '\(folder.subpath("out/tezos-mainnet-rolling-tarball-5000000.lz4"))' 2>/dev/null | head -c 50000000 | python3 -c '
            import sys; data = sys.stdin.buffer.read(); at = data.find(b"node/data/store/huge.pack\\0"); print(hex(data[at + 124]))'
            """)
        #expect(field.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0x80", "\(field.stdout)\(field.stderr)")
    }

    @Test("packing the same data dir twice gives the same bytes; a published artifact is not replaced without --force")
    func repeatable() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let name = "tezos-mainnet-rolling-tarball-5000000.lz4"
        #expect(try pack(data, folder, output: "one", extra: ["--unsigned"]).status == 0)
        #expect(try pack(data, folder, output: "two", extra: ["--unsigned"]).status == 0)
        let one = try Data(contentsOf: URL(fileURLWithPath: folder.subpath("one/" + name)))
        #expect(one == (try Data(contentsOf: URL(fileURLWithPath: folder.subpath("two/" + name)))))

        let again = try pack(data, folder, output: "one", extra: ["--unsigned"])
        #expect(again.status == 1)
        #expect(again.errorLines == ["error: \(folder.subpath("one/" + name)): already exists: move it away, or pass --force to replace it"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.subpath("one/" + name))) == one)

        // With --force, a companion that cannot be moved into place (a folder in the way) undoes
        // the whole run: no artifact is left without its metadata.
        try FileManager.default.removeItem(atPath: folder.subpath("one/" + name + ".json"))
        try FileManager.default.createDirectory(atPath: folder.subpath("one/" + name + ".json/in-the-way"), withIntermediateDirectories: true)
        let blocked = try pack(data, folder, output: "one", extra: ["--unsigned", "--force"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains(name + ".json: cannot move into place"), "\(blocked.stderr)")
        #expect(leftovers(folder.subpath("one")) == [name + ".json"])
    }

    @Test("the key can come from SHOTS_SIGNING_KEY, and a bad one is never echoed")
    func keyFromEnvironment() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let key = try keys(folder)
        let text = try String(contentsOfFile: key.secret, encoding: .utf8)
        let arguments = ["pack", data.root, "--profile", "tezos-rolling", "--network", "mainnet", "--base-url", "https://x.example.com",
                         "--block-height", "1", "--block-hash", TezosDataDir.blockHash, "--block-timestamp", "2024-06-20T10:00:00Z",
                         "--node-version", folder.subpath("version.json")]
        let signed = try Shots.run(arguments + ["-o", folder.subpath("env")], environment: ["SHOTS_SIGNING_KEY": text])
        #expect(signed.status == 0, "\(signed.stderr)")
        let verify = try shell("cd '\(folder.subpath("env"))' && minisign -Vm tezos-mainnet-rolling-tarball-1.lz4.sha256 -p '\(key.public)'")
        #expect(verify.status == 0, "\(verify.stderr)")

        let secretLine = String(text.split(separator: "\n")[1])
        let damaged = String(secretLine.prefix(100)) + "AAAA" + String(secretLine.dropFirst(104))
        let refused = try Shots.run(arguments + ["-o", folder.subpath("bad")], environment: ["SHOTS_SIGNING_KEY": damaged])
        #expect(refused.status == 1)
        #expect(refused.errorLines.count == 1 && refused.stderr.contains("SHOTS_SIGNING_KEY: not a usable minisign secret key"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(damaged.prefix(60)) && !refused.stdout.contains(damaged.prefix(60)))
        #expect(leftovers(folder.subpath("bad")).isEmpty)
    }

    @Test("a pack stopped by SIGTERM (a pod evicted) removes its partial outputs")
    func interrupted() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        #expect(truncate(data.root + "/node/data/store/cycles/blocks.bin", off_t(16) << 30) == 0)  // 16 GiB: packing takes seconds
        let run = try shell("""
            mkdir '\(folder.subpath("out"))'
            '\(Shots.binary.path)' pack '\(data.root)' --profile tezos-rolling --network mainnet --unsigned \
              --base-url https://x.example.com --block-height 1 --block-hash \(TezosDataDir.blockHash) \
              --block-timestamp 2024-06-21T00:00:00Z --node-version '\(folder.subpath("version.json"))' -o '\(folder.subpath("out"))' &
            pack=$!
            for _ in $(seq 100); do [ -n "$(ls -A '\(folder.subpath("out"))')" ] && break; sleep 0.05; done
            echo "during: $(ls -A '\(folder.subpath("out"))' | sed 's/-[A-Za-z0-9]*$//')"
            kill -TERM $pack; wait $pack; echo "status: $?"
            echo "after: $(ls -A '\(folder.subpath("out"))')"
            """)
        #expect(run.stdout.contains("during: .tezos-mainnet-rolling-tarball-1.lz4.partial"), "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("status: 143"), "\(run.stdout)")
        #expect(run.stdout.contains("after: \n") || run.stdout.hasSuffix("after:\n"), "\(run.stdout)")
        #expect(run.stderr.contains("interrupted: removed 1 temporary file(s)"), "\(run.stderr)")
    }

    @Test("an unreadable file inside the data dir is named, not skipped")
    func unreadableFile() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        let secret = data.root + "/node/data/store/cycles/blocks.bin"
        chmod(secret, 0o000)
        chmod(data.root + "/node/data/store/owner-only", 0o644)
        // Root reads any file: the pack then runs as an unprivileged user, as in a locked-down pod.
        let asUser = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        chmod(folder.path, 0o777)
        let run = try shell("""
            mkdir -m 777 '\(folder.subpath("out"))' && \(asUser)'\(Shots.binary.path)' pack '\(data.root)' --profile tezos-rolling \
              --network mainnet --unsigned --base-url https://x.example.com --block-height 1 --block-hash \(TezosDataDir.blockHash) \
              --block-timestamp 2024-06-21T00:00:00Z --node-version '\(folder.subpath("version.json"))' -o '\(folder.subpath("out"))'
            """)
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1 && run.stderr.contains("\(secret): cannot read") && run.stderr.contains("ermission denied"), "\(run.stderr)")
        #expect(leftovers(folder.subpath("out")).isEmpty)
    }

    @Test("a full disk fails the run with a clear error and removes the partial outputs")
    func diskFull() throws {
        let folder = try TemporaryFolder()
        let data = try TezosDataDir(in: folder)
        try FileManager.default.createDirectory(atPath: folder.subpath("small"), withIntermediateDirectories: true)
        // A real 1 MiB file system (tmpfs) in a private mount namespace, for the packing process only.
        let run = try shell("""
            unshare -rm bash -c "mount -t tmpfs -o size=1m tmpfs '\(folder.subpath("small"))' && \
              '\(Shots.binary.path)' pack '\(data.root)' --profile tezos-rolling --network mainnet --unsigned \
              --base-url https://x.example.com --block-height 1 --block-hash \(TezosDataDir.blockHash) \
              --block-timestamp 2024-06-21T00:00:00Z --node-version '\(folder.subpath("version.json"))' -o '\(folder.subpath("small"))'; \
              status=\\$?; echo left: \\$(ls -A '\(folder.subpath("small"))'); exit \\$status"
            """)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.errorLines.count == 1 && run.stderr.contains("No space left on device"), "\(run.stderr)")
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "left:")
    }
}

import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

@Suite("merging metadata into base.json")
struct MergeTests {
    @Test("merging a bucket with one invalid JSON keeps the valid artifacts and reports the bad file")
    func invalidFileReported() throws {
        let folder = try TemporaryFolder()
        for height in Int64(1)...41 { try folder.write(artifact: artifactJSON(height: height)) }
        let bad = try folder.write("bucket/broken.json", #"{"filename": "#)
        let result = try merge(MergeRequest(sources: [folder.subpath("bucket")]))
        #expect(result.catalog.count == 41)
        #expect(result.rejects.map(\.origin) == [bad])
        #expect(result.rejects.first?.reason.hasPrefix("not valid JSON") == true)
    }

    @Test("base.json and the output order are deterministic: network, type, mode, height, filename")
    func order() throws {
        let folder = try TemporaryFolder()
        let inputs = [
            artifactJSON(network: "mainnet", height: 20), artifactJSON(network: "mainnet", height: 3),
            artifactJSON(network: "ghostnet", height: 50), artifactJSON(network: "mainnet", type: "tezos-snapshot", height: 1),
            artifactJSON(network: "mainnet", mode: "archive", height: 7),
        ]
        for json in inputs { try folder.write(artifact: json) }
        let result = try merge(MergeRequest(sources: [folder.subpath("bucket")]))
        #expect(result.catalog.artifacts.map(\.filename) == [
            "tezos-ghostnet-rolling-tarball-50.lz4", "tezos-mainnet-archive-tarball-7.lz4",
            "tezos-mainnet-rolling-tarball-3.lz4", "tezos-mainnet-rolling-tarball-20.lz4", "mainnet-1.rolling",
        ])
        let again = try merge(MergeRequest(sources: [folder.subpath("bucket")]))
        #expect(again.catalog.encoded() == result.catalog.encoded())
    }

    @Test("an artifact in an input base.json is kept, and identical copies appear once")
    func baseEntriesKept() throws {
        let folder = try TemporaryFolder()
        let old = artifactJSON(height: 1)
        try folder.write("base.json", "[" + folder.text(old) + "]")
        try folder.write(artifact: old)
        try folder.write(artifact: artifactJSON(height: 2))
        let result = try merge(MergeRequest(sources: [folder.subpath("base.json"), folder.subpath("bucket")]))
        #expect(result.catalog.artifacts.map(\.blockHeight) == [1, 2])
        #expect(result.added == 1)
    }

    @Test("the same filename with different metadata stops the merge and names both sources")
    func conflict() throws {
        let folder = try TemporaryFolder()
        let first = try folder.write(artifact: artifactJSON(height: 5), in: "a")
        var changed = artifactJSON(height: 5)
        changed["sha256"] = .string(String(repeating: "0", count: 64))
        let second = try folder.write(artifact: changed, in: "b")
        #expect {
            try merge(MergeRequest(sources: [folder.subpath("a"), folder.subpath("b")]))
        } throws: { error in
            guard case MergeFailure.conflicts(let conflicts) = error else { return false }
            return conflicts.map(\.description) == ["conflict: tezos-mainnet-rolling-tarball-5.lz4 has different metadata in \(first) and in \(second)"]
        }
    }

    @Test("--prefer newer keeps the later block_timestamp, whichever comes first")
    func preferNewer() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 5, timestamp: "2024-01-01T00:00:00Z"), in: "a")
        try folder.write(artifact: artifactJSON(height: 5, timestamp: "2024-02-01T00:00:00Z"), in: "b")
        for order in [["a", "b"], ["b", "a"]] {
            let result = try merge(MergeRequest(sources: order.map(folder.subpath), preferNewer: true))
            #expect(result.catalog.artifacts.map(\.blockTimestamp.text) == ["2024-02-01T00:00:00Z"])
        }
    }

    @Test("an invalid entry in a base.json stops the merge: it would otherwise be dropped")
    func invalidBaseEntry() throws {
        let folder = try TemporaryFolder()
        var broken = artifactJSON(height: 1)
        broken["block_height"] = .string("1")
        let base = try folder.write("base.json", "[" + folder.text(artifactJSON(height: 2)) + "," + folder.text(broken) + "]")
        #expect {
            try merge(MergeRequest(sources: [base]))
        } throws: { error in
            String(describing: error).hasPrefix(#"\#(base)[1]: block_height: expected a non-negative integer, found a string "1""#)
        }
    }

    @Test("--into reads only folder files whose artifact is not already in base.json")
    func into() throws {
        let folder = try TemporaryFolder()
        let existing = artifactJSON(height: 1)
        let base = try folder.write("base.json", "[" + folder.text(existing) + "]")
        // Already listed in base.json, so never opened: its garbage content goes unnoticed.
        try folder.write("bucket/tezos-mainnet-rolling-tarball-1.lz4.json", "garbage")
        try folder.write(artifact: artifactJSON(height: 2))
        let result = try merge(MergeRequest(sources: [folder.subpath("bucket")], into: base))
        #expect(result.rejects.isEmpty)
        #expect(result.filesRead == 2)
        #expect(result.added == 1)
        #expect(result.catalog.artifacts.map(\.blockHeight) == [1, 2])
    }

    @Test("--into a base.json that does not exist yet starts a new catalog")
    func intoNewBucket() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1))
        let result = try merge(MergeRequest(sources: [folder.subpath("bucket")], into: folder.subpath("base.json")))
        #expect(result.catalog.count == 1)
    }

    @Test("empty and missing folders are reported; the other sources are still merged")
    func emptyAndMissingFolders() throws {
        let folder = try TemporaryFolder()
        try folder.write(artifact: artifactJSON(height: 1))
        try FileManager.default.createDirectory(atPath: folder.subpath("empty"), withIntermediateDirectories: true)
        let result = try merge(MergeRequest(sources: [folder.subpath("empty"), folder.subpath("missing"), folder.subpath("bucket")]))
        #expect(result.catalog.count == 1)
        #expect(result.rejects.map(\.description) == [
            "\(folder.subpath("empty")): no artifact metadata (*.json) in this folder",
            "\(folder.subpath("missing")): no such file or folder",
        ])
    }

    @Test("a metadata file over 1 MiB is refused before it is parsed")
    func oversized() throws {
        let folder = try TemporaryFolder()
        let huge = try folder.write("bucket/x.json", "")
        try FileHandle(forWritingAtPath: huge)!.truncate(atOffset: 200_000_000)
        try folder.write(artifact: artifactJSON(height: 1))
        let result = try merge(MergeRequest(sources: [folder.subpath("bucket")]))
        #expect(result.rejects.map(\.description) == ["\(huge): 190.7 MiB is over the 1.0 MiB limit; refusing to parse it"])
        #expect(result.catalog.count == 1)
    }
}

@Suite("tezos-snapshots.json")
struct SnapshotsDocumentTests {
    @Test("date_generated comes from SOURCE_DATE_EPOCH when set, else from the newest block, whole seconds")
    func generationDate() throws {
        let newest = BlockTimestamp("2024-05-12T00:03:17.250Z")
        #expect(try SnapshotsDocument.generationDate(environment: ["SOURCE_DATE_EPOCH": "1700000000"], newest: newest) == "2023-11-14T22:13:20Z")
        #expect(try SnapshotsDocument.generationDate(environment: [:], newest: newest) == "2024-05-12T00:03:17Z")
        #expect(try SnapshotsDocument.generationDate(environment: [:], newest: nil) == "1970-01-01T00:00:00Z")
        #expect(throws: Problem.self) { try SnapshotsDocument.generationDate(environment: ["SOURCE_DATE_EPOCH": "yesterday"], newest: newest) }
    }

    @Test("the union leaves out invalid entries and reports them, keeping the rest")
    func unionReportsInvalid() throws {
        let folder = try TemporaryFolder()
        var broken = artifactJSON(network: "ghostnet", height: 9)
        broken["url"] = .string("javascript:alert(1)")
        let mainnet = try folder.write("mainnet/base.json", "[" + folder.text(artifactJSON(height: 1)) + "]")
        let ghostnet = try folder.write("ghostnet/base.json", "[" + folder.text(broken) + "," + folder.text(artifactJSON(network: "ghostnet", height: 2)) + "]")
        let result = try unionOfCatalogs([mainnet, ghostnet])
        #expect(result.catalog.artifacts.map(\.chainName) == ["ghostnet", "mainnet"])
        #expect(result.rejects.map(\.origin) == ["\(ghostnet)[0]"])
    }
}

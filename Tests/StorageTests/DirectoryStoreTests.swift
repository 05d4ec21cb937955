import Catalog
import Infrastructure
import Foundation
import Storage
import TestSupport
import XCTest

final class DirectoryStoreTests: XCTestCase {
    func testAnObjectIsAFileAtItsKeyWithItsHeadersBesideIt() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path + "/bucket")
        let outcome = try store.put("rolling", Data(), headers: ObjectHeaders(cacheControl: "no-cache", websiteRedirect: "/tezos-mainnet-rolling-tarball-1.lz4"), condition: .always)
        XCTAssertEqual(outcome, .written(etag: "d41d8cd98f00b204e9800998ecf8427e"))  // the MD5 of nothing, as S3 answers
        _ = try store.put("mainnet/base.json", Data("[]".utf8), headers: ObjectHeaders(), condition: .always)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path + "/bucket/mainnet/base.json"))
        let head = try XCTUnwrap(store.head("rolling"))
        XCTAssertEqual(head.headers.websiteRedirect, "/tezos-mainnet-rolling-tarball-1.lz4")
        XCTAssertEqual(head.headers.cacheControl, "no-cache")
        XCTAssertEqual(try store.head("mainnet/base.json")?.headers.contentType, "application/json")
        XCTAssertEqual(try store.list(prefix: "").map(\.key), ["mainnet/base.json", "rolling"], "the store's own folder is not listed")
        XCTAssertEqual(try store.list(prefix: "main").map(\.key), ["mainnet/base.json"])
        try store.delete("mainnet/base.json")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path + "/bucket/mainnet"), "an emptied folder goes, as a bucket has none")
        XCTAssertNil(try store.get("mainnet/base.json"))
    }

    func testConditionalWritesRefuseWhatS3WouldRefuse() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path)
        guard case .written(let first) = try store.put("base.json", Data("[1]".utf8), headers: ObjectHeaders(), condition: .ifAbsent) else {
            return XCTFail("the first write of an absent key must succeed")
        }
        XCTAssertEqual(try store.put("base.json", Data("[2]".utf8), headers: ObjectHeaders(), condition: .ifAbsent), .conditionFailed)
        XCTAssertEqual(try store.put("base.json", Data("[2]".utf8), headers: ObjectHeaders(), condition: .ifMatch("0123")), .conditionFailed)
        XCTAssertEqual(String(decoding: try XCTUnwrap(store.get("base.json")).data, as: UTF8.self), "[1]")
        guard case .written = try store.put("base.json", Data("[2]".utf8), headers: ObjectHeaders(), condition: .ifMatch(first)) else {
            return XCTFail("a write with the current ETag must succeed")
        }
        XCTAssertEqual(String(decoding: try XCTUnwrap(store.get("base.json")).data, as: UTF8.self), "[2]")
    }

    func testAFileChangedBehindTheStoreGetsItsRealETag() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path)
        _ = try store.put("a.json", Data("{}".utf8), headers: ObjectHeaders(cacheControl: "no-cache"), condition: .always)
        try "changed".write(toFile: folder.path + "/a.json", atomically: false, encoding: .utf8)
        let head = try XCTUnwrap(store.head("a.json"))
        XCTAssertEqual(head.etag, md5Hex("changed"))
        XCTAssertNil(head.headers.cacheControl, "the old headers described another file")
    }

    func testAnAbortedUploadLeavesNothing() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path)
        let upload = try store.upload("big.lz4", headers: ObjectHeaders(), condition: .ifAbsent)
        try Data(repeating: 7, count: 1 << 20).withUnsafeBytes { try upload.write($0) }
        upload.abort()
        XCTAssertNil(try store.head("big.lz4"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/.shots-store/uploads"), [])
    }

    func testAKeyCannotLeaveTheFolderNorFollowALink() throws {
        let folder = try TemporaryFolder()
        let outside = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path)
        for key in ["../x", "a//b", "/etc/passwd", ".shots-store/lock", "a/./b"] {
            XCTAssertThrowsError(try store.put(key, Data(), headers: ObjectHeaders(), condition: .always), key)
        }
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/mainnet", withDestinationPath: outside.path)
        XCTAssertThrowsError(try store.put("mainnet/base.json", Data("[]".utf8), headers: ObjectHeaders(), condition: .always)) { error in
            XCTAssertTrue("\(error)".contains("symbolic link"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
    }

    /// Two writers of one key with If-Match (each its own store, so its own lock descriptor, as
    /// two processes have) take turns as two S3 clients would: of 40 read-change-write loops
    /// adding one line each, none is lost. (The publish race tests run separate processes.)
    func testTwoWritersReadChangeWriteWithoutLosingALine() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryStore(path: folder.path)
        _ = try store.put("log", Data(), headers: ObjectHeaders(), condition: .always)
        let group = DispatchGroup()
        let conflicts = LockedCounter()
        let path = folder.path
        for writer in 0..<2 {
            DispatchQueue.global().async(group: group) {
                let mine = try! DirectoryStore(path: path)
                for line in 0..<20 {
                    while true {
                        let current = try! XCTUnwrap(mine.get("log"))
                        let next = current.data + Data("\(writer)-\(line)\n".utf8)
                        if case .written = try! mine.put("log", next, headers: ObjectHeaders(), condition: .ifMatch(current.etag)) { break }
                        conflicts.add()
                    }
                }
            }
        }
        group.wait()
        let lines = String(decoding: try XCTUnwrap(store.get("log")).data, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 40)
        XCTAssertEqual(Set(lines).count, 40)
        XCTAssertGreaterThan(conflicts.value, 0, "the writers never met: the test did not race")
    }
}

private func md5Hex(_ text: String) -> String {
    String(try! runTool(["md5sum"], input: Data(text.utf8)).stdout.prefix(32))
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

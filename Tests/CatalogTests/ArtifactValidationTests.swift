import Foundation
import Catalog
import Infrastructure
import Testing
import TestSupport

@Suite("artifact validation")
struct ArtifactValidationTests {
    private func rejection(_ change: (inout JSONObject) -> Void) -> String? {
        var json = artifactJSON()
        change(&json)
        do {
            _ = try Artifact.validated(.object(json))
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a complete artifact passes with its typed fields read")
    func valid() throws {
        let validated = try Artifact.validated(.object(artifactJSON(type: "tezos-snapshot", additionalInfo: .object(["rc": .integer(2)]))))
        let artifact = validated.artifact
        #expect(validated.warnings.isEmpty)
        #expect(artifact.filename == "mainnet-5250000.rolling")
        #expect(artifact.kind.permalink == "rolling")
        #expect(artifact.kind.metadataPermalink == "rolling-snapshot-metadata")
        #expect(artifact.tezosVersion.displayName == "v19.1 rc~2")
        #expect(artifact.snapshotVersion == 6)
        #expect(artifact.blockTimestamp.secondsSince1970 == 1_715_472_197)
    }

    @Test("unknown fields are kept as they were")
    func unknownFields() throws {
        var json = artifactJSON()
        json["mirror"] = .object(["url": .string("https://mirror.example/x"), "weight": .number("0.25")])
        #expect(try artifact(json).json["mirror"] == json["mirror"])
    }

    @Test("a filesize that disagrees with filesize_bytes is corrected, with a warning")
    func filesizeCorrected() throws {
        var json = artifactJSON()
        json["filesize"] = .string("52M")
        let validated = try Artifact.validated(.object(json))
        #expect(validated.artifact.filesize == "51M")
        #expect(validated.artifact.json["filesize"] == .string("51M"))
        #expect(validated.warnings == [#"filesize "52M" does not match filesize_bytes 53963264; using "51M""#])
    }

    @Test("each problem names the field and what was expected", arguments: [
        ("block_height", JSONValue.string("12"), #"block_height: expected a non-negative integer, found a string "12""#),
        ("block_height", .integer(-1), "block_height: expected a non-negative integer, found the integer -1"),
        ("block_hash", .string("<script>alert(1)</script>"), "block_hash: expected a Tezos block hash"),
        ("block_hash", .string("BLockHash4fVN9uz2HiDF5wAWxwZgwXDPEY7dnQgS4fVN9uz2H0"), "block_hash: expected a Tezos block hash"),
        ("chain_name", .string("[mainnet](javascript:alert(1))"), "chain_name: expected a network name"),
        ("chain_name", .string("<b>mainnet</b>"), "chain_name: expected a network name"),
        ("filename", .string("../../etc/passwd"), "filename: expected a plain file name"),
        ("filename", .string("snap shot.lz4"), "filename: expected a plain file name"),
        ("url", .string("javascript:alert(1)"), #"url: expected an http:// or https:// URL, found a string "javascript:alert(1)""#),
        ("url", .string("https://mainnet.xtz-shots.io/other.lz4"), "url: must end in the artifact's filename"),
        ("url", .string("ftp://admin:hunter2@mainnet.xtz-shots.io/x.lz4"), #"url: expected an http:// or https:// URL, found a string "ftp://REDACTED@mainnet.xtz-shots.io/x.lz4""#),
        ("url", .string("https://user:secret@mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-5250000.lz4"), "url: must not carry credentials"),
        ("url", .string("https://mainnet.xtz-shots.io/\"onmouseover=x/tezos-mainnet-rolling-tarball-5250000.lz4"), "url: expected a URL of letters, digits"),
        ("url", .string("https://bucket.s3.amazonaws.com/tezos-mainnet-rolling-tarball-5250000.lz4?X-Amz-Signature=abc"), "url: must not carry a query or fragment"),
        ("url", .string("https://mainnet.xtz-shots.io/(x)/tezos-mainnet-rolling-tarball-5250000.lz4"), "url: expected a URL of letters, digits"),
        ("filename", .string("base.json"), "filename: expected a plain file name"),
        ("filename", .string("-rf"), "filename: expected a plain file name"),
        ("filename", .string(".hidden.lz4"), "filename: expected a plain file name"),
        ("filename", .string("index.HTML"), "filename: expected a plain file name"),
        ("block_timestamp", .string("2024-05-12T24:00:00Z"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("block_timestamp", .string("2024-05-12T00:03:17.Z"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("block_timestamp", .string("2024-05-12T00:03:17z"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("block_timestamp", .string("1900-02-29T00:00:00Z"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("sha256", .string("7961409DAD2B8FF917551EEA4A5178C1A6D95A21F807F1020A34E3ACEDAAAD4C"), "sha256: expected 64 lowercase hexadecimal digits"),
        ("block_timestamp", .string("2024-05-12 00:03:17"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("block_timestamp", .string("2024-02-30T00:00:00Z"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("block_timestamp", .string("2024-05-12T00:03:17+02:00"), "block_timestamp: expected an ISO 8601 UTC time"),
        ("history_mode", .string("pruned"), #"history_mode: expected one of "rolling", "full", "archive", found a string "pruned""#),
        ("artifact_type", .integer(1), "artifact_type: expected one of \"tarball\", \"tezos-snapshot\", found the integer 1"),
        ("snapshot_version", .integer(6), "snapshot_version: only a tezos-snapshot has a snapshot format version"),
        ("compression", .string("gzip"), #"compression: expected one of "lz4", "zstd", found a string "gzip""#),
        ("tezos_version", .string("v19.1"), #"tezos_version: expected an object, found a string "v19.1""#),
        ("filesize_bytes", .number("1.5"), "filesize_bytes: expected a non-negative integer, found the number 1.5"),
    ])
    func fieldErrors(field: String, value: JSONValue, message: String) throws {
        let reason = try #require(rejection { $0[field] = value })
        #expect(reason.hasPrefix(message))
        #expect(!reason.contains("\n"))
        #expect(!reason.contains("hunter2"))
    }

    @Test("free text refuses invisible and direction-changing characters", arguments: ["2024\u{202E}gnp.exe", "a\u{200B}b", "line\u{2028}break", "x\u{0085}y", "a\u{061C}b", "soft\u{00AD}hyphen", "tag\u{E0041}", "fill\u{3164}er", "x\u{FE00}", "a\u{180E}b", "\u{FFF9}x"])
    func invisibleCharacters(text: String) throws {
        var json = artifactJSON()
        guard case .object(var version) = json["tezos_version"], case .object(var commit) = version["commit_info"] else { return }
        commit["commit_date"] = .string(text)
        version["commit_info"] = .object(commit)
        json["tezos_version"] = .object(version)
        #expect(throws: ArtifactError.self) { try artifact(json) }
    }

    @Test("a zstd tarball says so in its name and its compression field, both or neither")
    func zstdNaming() throws {
        func named(_ filename: String, compression: String?) -> (JSONObject) -> JSONObject {
            { json in
                var json = json
                json["filename"] = .string(filename)
                json["url"] = .string("https://mainnet.xtz-shots.io/\(filename)")
                json["compression"] = compression.map(JSONValue.string)
                return json
            }
        }
        let zstd = try artifact(named("tezos-mainnet-rolling-tarball-5250000.zst", compression: "zstd")(artifactJSON()))
        #expect(zstd.compression == .zstd)
        #expect(zstd.kind.permalink == "rolling-tarball-zstd")
        #expect(try artifact(artifactJSON()).compression == .lz4)
        let unsaid = #expect(throws: ArtifactError.self) { try artifact(named("tezos-mainnet-rolling-tarball-5250000.zst", compression: nil)(artifactJSON())) }
        #expect(unsaid?.description == #"compression: a tarball named *.zst must say "compression": "zstd""#)
        let misnamed = #expect(throws: ArtifactError.self) { try artifact(named("tezos-mainnet-rolling-tarball-5250000.lz4", compression: "zstd")(artifactJSON())) }
        #expect(misnamed?.description.hasPrefix("filename: a zstd tarball's name ends in .zst") == true)
        let snapshot = #expect(throws: ArtifactError.self) { try artifact(named("mainnet-5250000.rolling", compression: "zstd")(artifactJSON(type: "tezos-snapshot"))) }
        #expect(snapshot?.description.hasPrefix("compression: only a tarball is compressed by shots") == true)
    }

    @Test("nested fields are named by their full path")
    func nestedPath() throws {
        let reason = rejection { json in
            guard case .object(var version) = json["tezos_version"], case .object(var numbers) = version["version"] else { return }
            numbers["major"] = .string("nineteen")
            version["version"] = .object(numbers)
            json["tezos_version"] = .object(version)
        }
        #expect(reason == #"tezos_version.version.major: expected a non-negative integer, found a string "nineteen""#)
    }

    @Test("a missing field is named")
    func missing() {
        #expect(rejection { $0["sha256"] = nil } == "sha256: is missing")
    }

    @Test("an array where an object belongs is refused")
    func arrayInsteadOfObject() {
        #expect(throws: ArtifactError(field: nil, problem: "expected a JSON object (one artifact), found an array")) {
            try Artifact.validated(.array([.object(artifactJSON())]))
        }
    }

    @Test("additional_info is a word or one tagged number", arguments: [
        (JSONValue.string("dev"), "v19.1 dev"), (.object(["beta": .integer(3)]), "v19.1 beta~3"), (.string("release"), "v19.1"),
    ])
    func additionalInfoForms(info: JSONValue, display: String) throws {
        #expect(try artifact(artifactJSON(additionalInfo: info)).tezosVersion.displayName == display)
    }

    @Test("additional_info with markup or several tags is refused", arguments: [
        JSONValue.string("<rc>"), .object(["rc": .integer(1), "beta": .integer(2)]), .object(["rc": .string("1")]),
    ])
    func additionalInfoRejected(info: JSONValue) {
        #expect(throws: ArtifactError.self) { try artifact(artifactJSON(additionalInfo: info)) }
    }

    @Test("block timestamps with fractions of a second are accepted and ordered")
    func fractionalTimestamps() throws {
        let whole = try #require(BlockTimestamp("2024-05-12T00:03:17Z"))
        let later = try #require(BlockTimestamp("2024-05-12T00:03:17.250Z"))
        #expect(whole < later)
        // The same instant written two ways is the same timestamp.
        #expect(BlockTimestamp("2024-05-12T00:03:17.0Z") == whole)
        #expect(BlockTimestamp("2024-05-12T00:03:17.250000001Z").map { $0 > later } == true)
        #expect(BlockTimestamp.format(secondsSince1970: 1_715_472_197) == "2024-05-12T00:03:17Z")
        #expect(BlockTimestamp.format(secondsSince1970: 951_782_400) == "2000-02-29T00:00:00Z")
    }
}

@Suite("text forms")
struct TextFormTests {
    @Test("ordinary text with accents, dashes, quotes and emoji is accepted as prose")
    func ordinaryProse() {
        #expect(TextForm.prose.accepts("Kusama, Polkadot's canary network — café, naïve, \"quoted\" ❤️ 日本語"))
        #expect(!TextForm.prose.accepts("two\nlines"))
    }
}

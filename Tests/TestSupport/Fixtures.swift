import Catalog
import Infrastructure
import Foundation

/// A valid artifact's metadata, as `pack` writes it; tests change one field at a time.
public func artifactJSON(
    network: String = "mainnet", type: String = "tarball", mode: String = "rolling", height: Int64 = 5_250_000,
    timestamp: String = "2024-05-12T00:03:17Z", major: Int64 = 19, additionalInfo: JSONValue = .string("release"),
    implementation: String = "octez"
) -> JSONObject {
    let filename = type == "tarball" ? "tezos-\(network)-\(mode)-tarball-\(height).lz4" : "\(network)-\(height).\(mode)"
    var json: JSONObject = [
        "block_hash": .string("BLockHash4fVN9uz2HiDF5wAWxwZgwXDPEY7dnQgS4fVN9uz2Hi"),
        "block_height": .integer(height),
        "block_timestamp": .string(timestamp),
        "filename": .string(filename),
        "url": .string("https://\(network).xtz-shots.io/\(filename)"),
        "sha256": .string("7961409dad2b8ff917551eea4a5178c1a6d95a21f807f1020a34e3acedaaad4c"),
        "filesize_bytes": .integer(53_963_264),
        "filesize": .string("51M"),
        "chain_name": .string(network),
        "history_mode": .string(mode),
        "artifact_type": .string(type),
        "tezos_version": .object([
            "implementation": .string(implementation),
            "version": .object(["major": .integer(major), "minor": .integer(1), "additional_info": additionalInfo]),
            "commit_info": .object(["commit_hash": .string("a6a3ab8e"), "commit_date": .string("2024-02-29 14:44:51 +0000")]),
        ]),
    ]
    if type == "tezos-snapshot" { json["snapshot_version"] = .integer(6) }
    return json
}

public func artifact(_ json: JSONObject) throws -> Artifact {
    try Artifact.validated(.object(json)).artifact
}

/// A fresh temporary folder, removed when the returned value is released by the test.
public final class TemporaryFolder {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("shots-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `contents` at `name` (folders created) and returns the full path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }

    /// Writes an artifact as `<filename>.json` under `folder`.
    @discardableResult
    public func write(artifact json: JSONObject, in folder: String = "bucket") throws -> String {
        guard case .string(let filename) = json["filename"] else { return try write("\(folder)/nameless.json", text(json)) }
        return try write("\(folder)/\(filename).json", text(json))
    }

    public func text(_ json: JSONObject) -> String { Self.textOf(json) }

    public func subpath(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

extension JSONObject {
    /// This object with some members added or replaced.
    public func merging(_ changes: JSONObject) -> JSONObject {
        var changed = self
        for member in changes.members { changed[member.name] = member.value }
        return changed
    }
}

extension TemporaryFolder {
    /// An artifact's JSON text with some fields replaced.
    public static func textOf(_ json: JSONObject, _ changes: JSONObject = [:]) -> String {
        String(decoding: JSONWriter().data(.object(json.merging(changes))), as: UTF8.self)
    }
}

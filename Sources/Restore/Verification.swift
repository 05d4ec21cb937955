import Catalog
import Infrastructure
import Pipeline
import Storage
import Foundation

/// `shots verify`: an artifact (a file with its companions beside it, or a URL, permalinks
/// followed once and pinned) against its metadata, checksum and signature; or a signed catalog.
public enum Verification {
    /// What was verified, for the one line the verb prints and `--json`.
    public struct Outcome: Sendable {
        public var subject: String
        public var filename: String
        public var size: Int64
        public var sha256: String?
        public var signedBy: String?
        public var trustedComment: String?
        /// For a catalog: its artifact count and when it was signed.
        public var artifacts: Int?
        public var signedAt: Int64?
        public var warnings: [String]
    }

    /// `target` is a local path when such a file exists, else a URL.
    public static func run(_ target: String, keys: TrustedKeys, checksumOnly: Bool, connections: Int, maxCatalogAgeSeconds: Int64?,
                           progress: PackProgress, log: @escaping @Sendable (String) -> Void) throws(Problem) -> Outcome {
        let isFile = FileManager.default.fileExists(atPath: target)
        let name = isFile ? PathText.name(target) : SiteAddress.lastComponent(of: target)
        if name == PublishedLayout.siteCatalogKey {
            return try catalog(target, isFile: isFile, keys: keys, maxAgeSeconds: maxCatalogAgeSeconds)
        }
        return isFile ? try file(target, keys: keys, checksumOnly: checksumOnly, progress: progress)
            : try url(target, keys: keys, checksumOnly: checksumOnly, connections: connections, progress: progress, log: log)
    }

    static func file(_ path: String, keys: TrustedKeys, checksumOnly: Bool, progress: PackProgress) throws(Problem) -> Outcome {
        let folder = PathText.parent(path)
        let filename = PathText.name(path)
        let evidence = try ArtifactEvidence.load(filename: filename) { name throws(Problem) in
            let companion = (folder.isEmpty ? "." : folder) + "/" + name
            guard FileManager.default.fileExists(atPath: companion) else { return nil }
            guard let data = FileManager.default.contents(atPath: companion), data.count <= 1 << 20 else {
                throw Problem(origin: companion, reason: "cannot read it (or it is over 1 MiB)")
            }
            return data
        }
        let expected = try evidence.expectation(keys: keys, checksumOnly: checksumOnly)
        let hashing = HashingSink(nil)
        let size = try hashing.copy(file: path, what: "the artifact", progress: progress)
        guard size == expected.size else { throw Problem(origin: path, reason: "\(size) bytes, the metadata says \(expected.size)") }
        let digest = hashing.hexDigest()
        guard digest == expected.sha256 else {
            throw Problem(origin: path, reason: "sha256 \(digest) does not match the signed \(expected.sha256): the file is damaged or was changed")
        }
        return outcome(path, expected)
    }

    static func url(_ url: String, keys: TrustedKeys, checksumOnly: Bool, connections: Int, progress: PackProgress,
                    log: @escaping @Sendable (String) -> Void) throws(Problem) -> Outcome {
        let pinned = try PinnedArtifact.resolve(url)
        let expected = try pinned.evidence().expectation(keys: keys, checksumOnly: checksumOnly)
        var warnings: [String] = []
        try Restoration.check(pinned, against: expected, chosen: nil, keys: keys) { warnings.append($0) }
        warnings.forEach(log)
        let download = pinned.download(connections: connections, log: log)
        download.start()
        defer { download.stop() }
        let stream = VerifiedStream(download)
        progress.start(total: pinned.size)
        stream.onChunk = { progress.update(done: $0, output: $0) }
        try stream.finish(expected: expected, origin: URLSecrets.redacted(pinned.url))
        progress.finish(done: stream.count, output: stream.count)
        var result = outcome(URLSecrets.redacted(pinned.url), expected)
        result.warnings = warnings
        return result
    }

    static func catalog(_ target: String, isFile: Bool, keys: TrustedKeys, maxAgeSeconds: Int64?) throws(Problem) -> Outcome {
        let catalog: SignedCatalog
        if isFile {
            guard let document = FileManager.default.contents(atPath: target) else { throw Problem(origin: target, reason: "cannot read it") }
            let signature = FileManager.default.contents(atPath: target + ".minisig")
            catalog = try SignedCatalog.check(document, signature: signature, origin: target, keys: keys, maxAgeSeconds: maxAgeSeconds)
        } else {
            catalog = try SignedCatalog.fetch(target, keys: keys, maxAgeSeconds: maxAgeSeconds)
        }
        return Outcome(subject: URLSecrets.redacted(target), filename: PublishedLayout.siteCatalogKey, size: 0, signedBy: catalog.signedBy,
                       artifacts: catalog.artifacts.count, signedAt: catalog.signedAt,
                       warnings: catalog.rejected > 0 ? ["\(catalog.rejected) entries do not pass the validation gate and were left out"] : [])
    }

    private static func outcome(_ subject: String, _ expected: ArtifactEvidence.Expectation) -> Outcome {
        Outcome(subject: subject, filename: expected.artifact.filename, size: expected.size, sha256: expected.sha256,
                signedBy: expected.signedBy?.keyID, trustedComment: expected.signedBy?.trustedComment, warnings: [])
    }
}

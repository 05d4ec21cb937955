import Catalog
import Infrastructure
import Foundation

/// `shots pack`: one artifact, its metadata, checksum and signature, from a node's data dir.
///
/// A tarball is made in one streaming pass (tar → LZ4 or zstd frames on every core → SHA-256 → sink); a
/// snapshot is exported by the node binary, then hashed as it is copied to the sink. Every output
/// is written under a temporary name and moved into place only once all of them are complete,
/// the metadata last; a failure removes them all.
public enum Packer {
    public struct Outcome {
        /// The artifact's metadata, as written to `<filename>.json`.
        public var metadata: JSONObject
        /// The files written, artifact first.
        public var paths: [String]
        /// Bytes read from the data dir (file contents) or the export, and bytes of the artifact.
        public var inputBytes: Int64
        public var artifactBytes: Int64
    }

    /// Packs into `request.outputFolder`, or into `sink` when one is given (its companions still go
    /// to the output folder).
    public static func pack(_ request: PackRequest, sink given: ArtifactSink? = nil, progress: PackProgress) throws(Problem) -> Outcome {
        let profile = request.profile
        try request.checkBaseURL()
        let database = profile.family == .polkadot ? try request.substrateDatabase() : nil
        let filename = profile.filename(network: request.network, height: request.block.height, database: database)
        let folder = request.outputFolder
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw Problem(origin: folder, reason: "cannot create the output folder: \((error as NSError).localizedDescription)")
        }
        let artifactPath = (folder as NSString).appendingPathComponent(filename)
        // A published artifact is never replaced by accident, nor lost if a replacement fails.
        for name in PublishedLayout.objects(of: filename) where !request.replaceExisting {
            let path = (folder as NSString).appendingPathComponent(name)
            var status = stat()
            guard lstat(path, &status) != 0 else {
                throw Problem(origin: path, reason: "already exists: move it away, or pass --force to replace it")
            }
        }
        let sink: ArtifactSink
        if let given { sink = given } else { sink = try FileSink(path: artifactPath) }
        var staged: [StagedFile] = []
        do throws(Problem) {
            var hashed = HashingSink(sink)
            var snapshotVersion: Int64?
            var uncompressedSize: Int64?
            let inputBytes: Int64
            if profile.isTarball {
                (inputBytes, uncompressedSize) = try streamTarball(request, into: hashed, progress: progress)
            } else {
                let export = try SnapshotExport.run(request, filename: filename)
                defer { export.remove() }
                snapshotVersion = export.snapshotVersion
                if let file = sink as? FileSink {
                    // On the same disk: hash the export where it is and take it as the artifact,
                    // rather than needing room for a copy of gigabytes.
                    hashed = HashingSink(nil)
                    inputBytes = try export.copy(into: hashed, progress: progress)
                    try file.adopt(export.path)
                } else {
                    inputBytes = try export.copy(into: hashed, progress: progress)
                }
            }
            let sha256 = hashed.hexDigest()
            let metadata = try describe(request, filename: filename, database: database, sha256: sha256,
                                        size: hashed.count, snapshotVersion: snapshotVersion, uncompressedSize: uncompressedSize)

            let checksum = Data("\(sha256)  \(filename)\n".utf8)
            var companions: [(String, Data)] = [(PublishedLayout.checksumKey(of: filename), checksum)]
            if let key = request.signingKey {
                let trusted = "timestamp:\(request.signingTime)\tfile:\(PublishedLayout.checksumKey(of: filename))\thashed"
                companions.append((PublishedLayout.signatureKey(of: filename), Data(try key.signature(of: checksum, trustedComment: trusted).utf8)))
            }
            companions.append((PublishedLayout.metadataKey(of: filename), JSONWriter().data(.object(metadata))))
            for (name, data) in companions {
                let file = try StagedFile(finalPath: (folder as NSString).appendingPathComponent(name))
                staged.append(file)
                try file.write(data)
            }
            // The artifact first and its metadata last: whoever sees the .json finds the rest.
            try sink.finish()
            for file in staged { try file.commit() }
            syncFolder(folder)
            return Outcome(metadata: metadata, paths: [artifactPath] + staged.map(\.finalPath), inputBytes: inputBytes, artifactBytes: hashed.count)
        } catch {
            sink.abort()
            for file in staged { file.discard() }
            throw error
        }
    }

    /// tar → LZ4 or zstd frames → hash and sink, in one pass; returns the file bytes read and the tar stream's size
    /// (what a restore will extract, for its free-space check).
    private static func streamTarball(_ request: PackRequest, into sink: HashingSink, progress: PackProgress) throws(Problem) -> (read: Int64, tar: Int64) {
        let tar = TarStream(root: request.packRoot,
                            members: request.profile.members, exclusions: request.profile.exclusions)
        try checkDataDir(request)
        progress.start(total: try tar.contentSize())
        let frames = FrameStream(request.profile.compression) { bytes throws(Problem) in try sink.write(bytes) }
        var read: Int64 = 0
        try tar.write(to: { bytes throws(Problem) in try frames.write(bytes) }, read: { bytes in
            read = bytes
            progress.update(done: bytes, output: sink.count)
        })
        try frames.finish()
        progress.finish(done: read, output: sink.count)
        return (read, frames.inputBytes)
    }

    private static func checkDataDir(_ request: PackRequest) throws(Problem) {
        var status = stat()
        guard stat(request.dataDir, &status) == 0 else {
            throw Problem(origin: request.dataDir, reason: "the data dir cannot be opened: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw Problem(origin: request.dataDir, reason: "the data dir is not a folder") }
        let root = request.packRoot
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard !entries.isEmpty else {
            throw Problem(origin: root, reason: "nothing to pack: the folder is empty or missing (is this the \(request.profile.name) data dir?)")
        }
    }

    /// The artifact's metadata, checked by the same gate every catalog input goes through.
    static func describe(_ request: PackRequest, filename: String, database: String?, sha256: String, size: Int64,
                         snapshotVersion: Int64?, uncompressedSize: Int64? = nil) throws(Problem) -> JSONObject {
        let base = PathText.trimmingTrailingSlashes(request.baseURL)
        var fields: [(String, JSONValue)] = [
            ("block_hash", .string(request.block.hash)), ("block_height", .integer(request.block.height)),
            ("filename", .string(filename)), ("url", .string("\(base)/\(filename)")), ("sha256", .string(sha256)),
            ("filesize_bytes", .integer(size)), ("filesize", .string(FileSize.format(bytes: size))),
        ]
        let metadata: JSONObject
        switch request.profile.family {
        case .tezos:
            guard var version = request.tezosVersion else {
                throw Problem(origin: "--node-version", reason: "the node's /version is needed for tezos_version: pass --node-version FILE or --rpc URL")
            }
            if version["implementation"] == nil { version = JSONObject(version.members.map { ($0.name, $0.value) } + [("implementation", .string("octez"))]) }
            fields += [("block_timestamp", .string(request.block.timestamp)), ("chain_name", .string(request.network)),
                       ("history_mode", .string(request.profile.historyMode?.rawValue ?? "rolling")),
                       ("artifact_type", .string(request.profile.artifactType.rawValue)), ("tezos_version", .object(version))]
            // LZ4 goes unstated, as the chart and every earlier artifact expect.
            if request.profile.compression != .lz4 { fields.append((Compression.metadataField, .string(request.profile.compression.rawValue))) }
            if let snapshotVersion { fields.append(("snapshot_version", .integer(snapshotVersion))) }
            if let uncompressedSize { fields.append((PublishedArtifact.uncompressedSizeField, .integer(uncompressedSize))) }
            metadata = JSONObject(fields)
            do throws(ArtifactError) { _ = try Artifact.validated(.object(metadata)) } catch {
                throw Problem(origin: PublishedLayout.metadataKey(of: filename), reason: "the metadata would not be valid: \(error)")
            }
        case .polkadot:
            guard let nodeVersion = request.nodeVersion else {
                throw Problem(origin: "--node-version", reason: "the node's version is needed: pass --node-version TEXT (what `polkadot --version` prints)")
            }
            guard let pruning = request.pruning else {
                throw Problem(origin: "--pruning", reason: "the node's pruning mode is needed: pass --pruning archive or a number of blocks")
            }
            fields += [("chain", .string(request.profile.chain)), ("created", .string(request.block.timestamp)),
                       ("database", .string(database ?? "")), ("pruning", .string(pruning)), (Compression.metadataField, .string(request.profile.compression.rawValue)),
                       ("node_version", .string(nodeVersion))]
            if let uncompressedSize { fields.append((PublishedArtifact.uncompressedSizeField, .integer(uncompressedSize))) }
            metadata = JSONObject(fields)
            do throws(ArtifactError) { _ = try PolkadotArtifact.validated(.object(metadata)) } catch {
                throw Problem(origin: PublishedLayout.metadataKey(of: filename), reason: "the metadata would not be valid: \(error)")
            }
        }
        return metadata
    }

    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

import Foundation
import Infrastructure

/// One Polkadot or Kusama database snapshot (polkashots): `<chain>-<height>.<database>.tar.lz4`,
/// a tarball of the chain folder without its keystore and network keys.
public final class PolkadotArtifact: Sendable {
    /// The chains shots knows, with the folder under `chains/` their node uses.
    public static let chainFolders = ["polkadot": "polkadot", "kusama": "ksmcc3"]

    public let json: JSONObject
    /// `polkadot` or `kusama`.
    public let chain: String
    public let blockHeight: Int64
    /// `0x` and 64 lowercase hex digits.
    public let blockHash: String
    /// When the snapshot was taken (ISO 8601 UTC).
    public let created: BlockTimestamp
    /// `rocksdb` or `paritydb`.
    public let database: String
    /// `archive`, or the number of recent blocks whose state is kept.
    public let pruning: String
    public let compression: String
    /// The node's `--version`, e.g. `1.10.0-7049c3c98c0`.
    public let nodeVersion: String
    public let filename: String
    public let url: String
    public let sha256: String
    public let filesizeBytes: Int64
    public let filesize: String

    /// What was corrected in the metadata as read (a wrong `filesize`), for the build to report.
    public let warnings: [String]

    init(json: JSONObject, fields: FieldReader) throws(ArtifactError) {
        var json = json
        try Artifact.checkNoCredentials(in: json)
        chain = try fields.string("chain", matching: .word)
        guard Self.chainFolders[chain] != nil else {
            throw fields.error("chain", "expected \(Self.chainFolders.keys.sorted().map(Problem.quoted).joined(separator: " or ")), found \(Problem.quoted(chain))")
        }
        blockHeight = try fields.integer("block_height")
        blockHash = try fields.string("block_hash", matching: .substrateHash)
        let createdText = try fields.string("created", matching: .text)
        guard let created = BlockTimestamp(createdText) else {
            throw fields.error("created", "expected an ISO 8601 UTC time like 2024-03-01T12:00:05Z, found \(preview(.string(createdText)))")
        }
        self.created = created
        database = try fields.string("database", matching: .word)
        guard SubstrateDatabase(rawValue: database) != nil else {
            throw fields.error("database", "expected \(SubstrateDatabase.expectation), found \(Problem.quoted(database))")
        }
        pruning = try fields.string("pruning", matching: .word)
        guard pruning == "archive" || Int(pruning).map({ $0 > 0 }) == true else {
            throw fields.error("pruning", "expected \"archive\" or a number of blocks, found \(Problem.quoted(pruning))")
        }
        compression = try fields.string(Compression.metadataField, matching: .word)
        nodeVersion = try fields.string("node_version", matching: .nodeVersion)
        filename = try fields.string("filename", matching: .filename)
        let expected = "\(chain)-\(blockHeight).\(database).tar.lz4"
        guard filename == expected else { throw fields.error("filename", "expected \(Problem.quoted(expected)) (chain-height.database.tar.lz4), found \(Problem.quoted(filename))") }
        url = try fields.string("url", matching: nil)
        try Artifact.checkURL(url, names: filename)
        sha256 = try fields.string("sha256", matching: .sha256)
        filesizeBytes = try fields.integer("filesize_bytes")
        let (filesize, warning) = FileSize.corrected(stated: try fields.string("filesize", matching: .text), bytes: filesizeBytes)
        self.filesize = filesize
        warnings = [warning].compactMap { $0 }
        if warning != nil { json["filesize"] = .string(filesize) }
        self.json = json
    }

    /// Validates one metadata object (the same rules of form as Tezos metadata).
    public static func validated(_ value: JSONValue) throws(ArtifactError) -> PolkadotArtifact {
        guard case .object(let json) = value else {
            throw ArtifactError(field: nil, problem: "expected a JSON object (one snapshot), found \(value.kindDescription)")
        }
        return try PolkadotArtifact(json: json, fields: FieldReader(fields: json, path: ""))
    }

    /// Reads every `<filename>.json` of the given folders; invalid files are returned as problems,
    /// and corrections as warnings naming their file.
    public static func load(folders: [String]) throws(Problem) -> (artifacts: [PolkadotArtifact], rejects: [Problem], warnings: [Problem]) {
        var artifacts: [PolkadotArtifact] = []
        var rejects: [Problem] = []
        var warnings: [Problem] = []
        for folder in folders {
            let names: [String]
            do throws(MetadataReadError) { names = try MetadataFile.artifactFiles(in: folder) } catch {
                throw Problem(origin: folder, reason: error.problem)
            }
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name)
                do throws(Problem) {
                    let artifact = try MetadataLoader.loadNamed(at: path, validate: { value throws(Problem) in
                        do throws(ArtifactError) { return try validated(value) } catch { throw Problem(origin: path, reason: error.description) }
                    }, filename: \.filename)
                    artifacts.append(artifact)
                    warnings += artifact.warnings.map { Problem(origin: path, reason: $0) }
                } catch {
                    rejects.append(error)
                }
            }
        }
        return (artifacts, rejects, warnings)
    }
}

extension PolkadotArtifact: PermalinkCandidate {
    /// Substrate databases are not tied to a node major version here: the newest block wins.
    public var compatibilityMajor: Int64? { nil }
    public var blockTimestamp: BlockTimestamp { created }
}

import Catalog
import Infrastructure
import Foundation

/// What a publisher says about an artifact, from the files beside it: its metadata (`.json`), its
/// checksum (`.sha256`) and the signature of that checksum (`.sha256.minisig`).
public struct ArtifactEvidence: Sendable {
    public var filename: String
    public var metadata: Data
    public var checksum: Data
    public var signature: Data?

    /// What the artifact must be, once the evidence agrees with itself and with a trusted key.
    public struct Expectation: Sendable {
        public var artifact: PublishedArtifact
        public var sha256: String { artifact.sha256 }
        public var size: Int64 { artifact.filesizeBytes }
        /// The key id that signed the checksum and the signature's trusted comment; nil when the
        /// user chose to check the checksum alone.
        public var signedBy: (keyID: String, trustedComment: String)?
    }

    /// Loads the companions through `read` (a name beside the artifact → its bytes, nil when
    /// absent); the metadata and the checksum must exist, the signature may not.
    public static func load(filename: String, read: (String) throws(Problem) -> Data?) throws(Problem) -> ArtifactEvidence {
        let metadataKey = PublishedLayout.metadataKey(of: filename)
        let checksumKey = PublishedLayout.checksumKey(of: filename)
        guard let metadata = try read(metadataKey) else {
            throw Problem(origin: metadataKey, reason: "not found: every published artifact has its metadata beside it")
        }
        guard let checksum = try read(checksumKey) else {
            throw Problem(origin: checksumKey, reason: "not found: every published artifact has its checksum beside it")
        }
        return ArtifactEvidence(filename: filename, metadata: metadata, checksum: checksum,
                                signature: try read(PublishedLayout.signatureKey(of: filename)))
    }

    /// Checks that the metadata describes this file and passes its family's validation, that the
    /// `.sha256` names the same hash and file, and that a trusted key signed it. With no trusted key,
    /// only `checksumOnly` lets the signature go unchecked.
    public func expectation(keys: TrustedKeys, checksumOnly: Bool) throws(Problem) -> Expectation {
        let metadataKey = PublishedLayout.metadataKey(of: filename)
        let checksumKey = PublishedLayout.checksumKey(of: filename)
        let json: JSONValue
        do { json = try JSONParser.parse(metadata) } catch { throw Problem(origin: metadataKey, reason: "not JSON: \(error)") }
        guard let family = ChainFamily.of(metadata: json)?.family else {
            throw Problem(origin: metadataKey, reason: "neither Tezos (chain_name) nor Polkadot/Kusama (chain) metadata")
        }
        let artifact = try PublishedArtifact(json, family: family, origin: metadataKey)
        guard artifact.filename == filename else {
            throw Problem(origin: metadataKey, reason: "describes \(Problem.quoted(artifact.filename)), not \(Problem.quoted(filename))")
        }
        let line = String(decoding: checksum, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard fields.count == 2, fields[0].count == 64, fields[0].allSatisfy(\.isHexDigit) else {
            throw Problem(origin: checksumKey, reason: "expected sha256sum's line (64 hex digits, two spaces, the file name), found \(Problem.quoted(String(line.prefix(120))))")
        }
        let named = fields[1].hasPrefix(" ") || fields[1].hasPrefix("*") ? String(fields[1].dropFirst()) : fields[1]
        guard named == filename else { throw Problem(origin: checksumKey, reason: "is the checksum of \(Problem.quoted(named)), not of \(Problem.quoted(filename))") }
        guard fields[0].lowercased() == artifact.sha256 else {
            throw Problem(origin: checksumKey, reason: "says sha256 \(fields[0].lowercased()), the metadata says \(artifact.sha256)")
        }
        guard !keys.isEmpty else {
            guard checksumOnly else {
                throw Problem(origin: "--public-key", reason: "no trusted key to check \(PublishedLayout.signatureKey(of: filename)) with: pass --public-key KEY or --site URL (or --checksum-only to check the checksum alone)")
            }
            return Expectation(artifact: artifact, signedBy: nil)
        }
        guard let signature else {
            throw Problem(origin: PublishedLayout.signatureKey(of: filename), reason: "not found: the artifact is not signed, and keys \(keys.idList) are trusted")
        }
        let signed = try keys.verify(signature: signature, of: checksum, origin: PublishedLayout.signatureKey(of: filename))
        return Expectation(artifact: artifact, signedBy: signed)
    }
}

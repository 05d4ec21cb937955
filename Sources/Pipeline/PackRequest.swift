import Catalog
import Infrastructure
import Foundation

/// Everything `shots pack` needs to know to produce one artifact and its companions.
public struct PackRequest {
    public var dataDir: String
    public var profile: PackProfile
    /// The Tezos network (`chain_name`, e.g. `mainnet`); a Substrate profile names its chain itself.
    public var network: String
    public var outputFolder: String
    /// Where the artifact will be downloaded from: its `url` is this and its file name.
    public var baseURL: String
    /// Where `baseURL` was given, for messages: `--base-url`, or the site's `artifact_host`.
    public var baseURLOrigin = "--base-url"
    public var block: BlockInfo
    /// The node's `/version` answer (Tezos).
    public var tezosVersion: JSONObject?
    /// The node's `--version` (Substrate), its database and pruning mode.
    public var nodeVersion: String?
    public var database: SubstrateDatabase?
    public var pruning: String?
    /// Signs the checksum file; nil only when the operator asked for no signature.
    public var signingKey: Minisign.SecretKey?
    /// The node binary that exports snapshots (`octez-node`).
    public var nodeBinary = "octez-node"
    /// Seconds since 1970 for the signature's trusted comment.
    public var signingTime: Int64
    /// Whether outputs may replace files of the same names (a failed run then loses them too).
    public var replaceExisting = false

    public init(dataDir: String, profile: PackProfile, network: String, outputFolder: String, baseURL: String, block: BlockInfo,
                signingKey: Minisign.SecretKey?, signingTime: Int64) {
        self.dataDir = dataDir
        self.profile = profile
        self.network = network
        self.outputFolder = outputFolder
        self.baseURL = baseURL
        self.block = block
        self.signingKey = signingKey
        self.signingTime = signingTime
    }

    /// The folder the tar paths start from.
    var packRoot: String {
        profile.root == "." ? dataDir : (dataDir as NSString).appendingPathComponent(profile.root)
    }

    /// Refuses, before anything is packed, a base URL that would publish a credential; the message
    /// names what it carries, never the secret.
    func checkBaseURL() throws(Problem) {
        guard let part = URLSecrets.secretPart(of: baseURL) ?? (URLSecrets.redacted(baseURL) != baseURL ? "credentials" : nil) else { return }
        throw Problem(origin: baseURLOrigin, reason: "\(URLSecrets.redacted(baseURL)) carries \(part); the artifact's url is published on the website")
    }

    /// The Substrate database format: as given, or told by the chain folder's contents.
    public func substrateDatabase() throws(Problem) -> String {
        if let database { return database.rawValue }
        let chainFolder = packRoot
        for database in SubstrateDatabase.allCases.sorted(by: { $0.rawValue < $1.rawValue })
        where FileManager.default.fileExists(atPath: (chainFolder as NSString).appendingPathComponent(database.folder)) {
            return database.rawValue
        }
        throw Problem(origin: chainFolder, reason: "cannot tell the database format (no db/ or paritydb/ folder): pass --database")
    }
}

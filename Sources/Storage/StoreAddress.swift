import Catalog
import Infrastructure
import Foundation

/// How a store is reached besides its URL: the flags every verb that writes a store shares.
public struct StoreOptions: Sendable {
    /// `--endpoint-url`: an S3-compatible host instead of AWS.
    public var endpointURL: String?
    /// `--aws-profile`: a profile of the shared credentials file.
    public var awsProfile: String?
    /// A folder of one file per credential value, as Kubernetes mounts a secret.
    public var credentialsFolder: String?
    public var region: String?
    /// Path-style (`host/bucket`) instead of the default for the endpoint.
    public var pathStyle: Bool?
    public var environment: [String: String]

    public init(endpointURL: String? = nil, awsProfile: String? = nil, credentialsFolder: String? = nil, region: String? = nil,
                pathStyle: Bool? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.endpointURL = endpointURL
        self.awsProfile = awsProfile
        self.credentialsFolder = credentialsFolder
        self.region = region
        self.pathStyle = pathStyle
        self.environment = environment
    }

    /// `SHOTS_S3_ATTEMPTS` (default 7) and `SHOTS_S3_RETRY_BASE_SECONDS` (default 0.5): how often a
    /// failed request is tried, and the first backoff (doubling, with jitter, up to 20 s).
    var retry: RetryPolicy {
        var policy = RetryPolicy.standard
        if let attempts = environment["SHOTS_S3_ATTEMPTS"].flatMap(Int.init), attempts >= 1 { policy.attempts = attempts }
        if let base = environment["SHOTS_S3_RETRY_BASE_SECONDS"].flatMap(Double.init), base >= 0 { policy.baseDelay = base }
        return policy
    }

    /// `--region`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then us-east-1.
    var resolvedRegion: String {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let profile = given(awsProfile) ?? given(environment["AWS_PROFILE"]) ?? "default"
        return given(region) ?? given(environment["AWS_REGION"]) ?? given(environment["AWS_DEFAULT_REGION"])
            ?? AWSSharedFiles(environment: environment).region(profile: profile) ?? "us-east-1"
    }
}

/// A store named by URL, as every verb takes one: `s3://bucket[/prefix]`, `file:///path`, or a
/// plain folder path.
public enum StoreAddress {
    /// Whether `address` names an S3 bucket.
    public static func isS3(_ address: String) -> Bool { address.lowercased().hasPrefix("s3://") }

    public static func open(_ address: String, flag: String, options: StoreOptions,
                            log: @escaping @Sendable (String) -> Void) throws(Problem) -> ObjectStore {
        if isS3(address) {
            let path = address.dropFirst(5).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let bucket = path.first.map(String.init) ?? ""
            let prefix = path.count > 1 ? String(path[1]).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : ""
            guard isBucketName(bucket) else {
                throw Problem(origin: flag, reason: "expected s3://bucket[/prefix] with a bucket name of 3 to 63 lowercase letters, digits, dots and dashes, found \(Problem.quoted(URLSecrets.redacted(address)))")
            }
            let region = options.resolvedRegion
            let endpoint: S3Endpoint
            do throws(S3EndpointError) { endpoint = try S3Endpoint(url: options.endpointURL, region: region, pathStyle: options.pathStyle) } catch {
                throw Problem(origin: "--endpoint-url", reason: "expected http(s)://host[:port] without a path, query or credentials, found \(Problem.quoted(URLSecrets.redacted(error.url)))")
            }
            guard let credentials = CredentialSource.resolve(profile: options.awsProfile, folder: options.credentialsFolder,
                                                             region: region, environment: options.environment) else {
                throw Problem(origin: address, reason: "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --aws-profile, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE")
            }
            return S3Store(bucket: bucket, prefix: prefix, endpoint: endpoint, credentials: credentials, retry: options.retry, log: log)
        }
        return try DirectoryStore(path: try folderPath(address, flag: flag))
    }

    /// The folder a folder store's address names: `file:///path` or a plain path.
    public static func folderPath(_ address: String, flag: String) throws(Problem) -> String {
        var path = address
        if address.lowercased().hasPrefix("file://") {
            path = String(address.dropFirst(7))
            guard path.hasPrefix("/") else { throw Problem(origin: flag, reason: "expected file:///absolute/path, found \(Problem.quoted(address))") }
        } else if address.contains("://") {
            throw Problem(origin: flag, reason: "expected s3://bucket[/prefix], file:///path or a folder, found \(Problem.quoted(URLSecrets.redacted(address)))")
        }
        guard !path.isEmpty else { throw Problem(origin: flag, reason: "expected a store, found nothing") }
        return path
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.utf8.count) && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
            && !name.hasPrefix("-") && !name.hasPrefix(".")
    }
}

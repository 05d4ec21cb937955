import Catalog
import Infrastructure
import Foundation

/// Where an S3 store's credentials come from, in the aws CLI's order: a named profile given on
/// the command line; a folder of one file per value (a Kubernetes secret mount); the
/// `AWS_ACCESS_KEY_ID` environment; web identity (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`,
/// a pod's service-account role, through STS); `AWS_PROFILE` or `default` in the shared files.
/// Temporary credentials are fetched again five minutes before they expire.
public final class CredentialSource: @unchecked Sendable {
    public enum Origin: Sendable, Equatable {
        case profile(String)
        case folder(String)
        case environment
        case webIdentity(roleARN: String, tokenFile: String, sessionName: String, stsEndpoint: String)
    }

    public let origin: Origin
    private let environment: [String: String]
    private let lock = NSLock()
    private var cached: AWSCredentials?

    /// The first source the environment and flags offer; nil when there is none.
    public static func resolve(profile: String?, folder: String?, region: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> CredentialSource? {
        if let profile, !profile.isEmpty { return CredentialSource(.profile(profile), environment) }
        if let folder, !folder.isEmpty { return CredentialSource(.folder(folder), environment) }
        if environment["AWS_ACCESS_KEY_ID"]?.isEmpty == false { return CredentialSource(.environment, environment) }
        if let role = environment["AWS_ROLE_ARN"], let token = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !role.isEmpty, !token.isEmpty {
            let endpoint = environment["AWS_ENDPOINT_URL_STS"] ?? environment["AWS_ENDPOINT_URL"] ?? "https://sts.\(region).amazonaws.com"
            let session = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "shots-\(getpid())"
            return CredentialSource(.webIdentity(roleARN: role, tokenFile: token, sessionName: session, stsEndpoint: endpoint), environment)
        }
        let named = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let file = AWSSharedFiles(environment: environment)
        return file.credentials(profile: named) == nil ? nil : CredentialSource(.profile(named), environment)
    }

    init(_ origin: Origin, _ environment: [String: String]) {
        self.origin = origin
        self.environment = environment
    }

    /// Credentials that are valid now. Errors name the source, never a secret.
    public func current() throws(Problem) -> AWSCredentials {
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.expiration.map({ $0.timeIntervalSinceNow > 300 }) ?? true { return cached }
        let fresh = try load()
        cached = fresh
        return fresh
    }

    private func load() throws(Problem) -> AWSCredentials {
        switch origin {
        case .environment:
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
                throw Problem(origin: "AWS_SECRET_ACCESS_KEY", reason: "is not set, while AWS_ACCESS_KEY_ID is")
            }
            return AWSCredentials(accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "", secretAccessKey: secret,
                                  sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        case .profile(let name):
            guard let credentials = AWSSharedFiles(environment: environment).credentials(profile: name) else {
                throw Problem(origin: "--aws-profile \(name)", reason: "no such profile with aws_access_key_id and aws_secret_access_key in \(AWSSharedFiles(environment: environment).credentialsPath)")
            }
            return credentials
        case .folder(let path):
            func value(_ names: [String]) -> String? {
                for name in names {
                    if let text = try? String(contentsOfFile: (path as NSString).appendingPathComponent(name), encoding: .utf8) {
                        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                        if !trimmed.isEmpty { return trimmed }
                    }
                }
                return nil
            }
            guard let key = value(["AWS_ACCESS_KEY_ID", "aws_access_key_id", "access-key-id"]),
                  let secret = value(["AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "secret-access-key"]) else {
                throw Problem(origin: path, reason: "expected the files AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (one value each, as a Kubernetes secret is mounted)")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: value(["AWS_SESSION_TOKEN", "aws_session_token"]))
        case .webIdentity(let role, let tokenFile, let session, let endpoint):
            return try WebIdentity.assumeRole(roleARN: role, tokenFile: tokenFile, sessionName: session, stsEndpoint: endpoint)
        }
    }
}

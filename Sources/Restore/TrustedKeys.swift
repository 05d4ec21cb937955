import Infrastructure
import Catalog
import Pipeline
import ShotsConfiguration
import Storage
import Foundation

/// The publisher keys a verify or restore trusts, told apart by minisign key id (a publisher
/// rotating keys signs with the new one while clients still trust both), and where they came from.
public struct TrustedKeys: Sendable {
    public var keys: [Minisign.PublicKey]
    /// The host the keys were read from when they came from a site over HTTP, nil when the user
    /// gave them (a key read from the host that serves the artifact proves integrity, not origin).
    public var fetchedFromHost: String?

    public init(keys: [Minisign.PublicKey], fetchedFromHost: String? = nil) {
        self.keys = keys
        self.fetchedFromHost = fetchedFromHost
    }

    /// The keys a verb trusts, first of: `--public-key` values; the site's (`--site`: a URL's
    /// published shots.pub, or a site folder's site.yml); `SHOTS_PUBLIC_KEY`; the key published by
    /// the site a restore chooses from. None at all is an empty set (the verbs then refuse, unless
    /// told to check checksums alone).
    public static func resolve(publicKeys: [String], site: String?, environment: [String: String], sourceSite: String?) throws(Problem) -> TrustedKeys {
        if !publicKeys.isEmpty { return try given(publicKeys) }
        if let site {
            if site.hasPrefix("http://") || site.hasPrefix("https://") { return try published(bySite: site) }
            guard let key = try SiteConfig.load(folder: site).signingPublicKey else {
                throw Problem(origin: site + "/site.yml", reason: "has no signing_public_key to trust")
            }
            return try given([key])
        }
        if let key = environment["SHOTS_PUBLIC_KEY"], !key.isEmpty { return try given([key]) }
        if let sourceSite { return try published(bySite: sourceSite) }
        return TrustedKeys(keys: [])
    }

    /// `--public-key` values: a key (`RW...`) or a minisign.pub file's path.
    public static func given(_ values: [String]) throws(Problem) -> TrustedKeys {
        var keys: [Minisign.PublicKey] = []
        for value in values {
            if FileManager.default.fileExists(atPath: value) {
                guard let data = FileManager.default.contents(atPath: value), data.count < 4096 else {
                    throw Problem(origin: value, reason: "cannot read the public key file (or it is larger than a key file)")
                }
                keys.append(try Minisign.PublicKey(text: String(decoding: data, as: UTF8.self), origin: value))
            } else {
                keys.append(try Minisign.PublicKey(text: value, origin: "--public-key"))
            }
        }
        return TrustedKeys(keys: keys)
    }

    /// The key a site publishes (`shots.pub` at its root, `PublishedLayout.sitePublicKeyKey`).
    public static func published(bySite site: String) throws(Problem) -> TrustedKeys {
        let url = SiteAddress.join(site, PublishedLayout.sitePublicKeyKey)
        let data = try HTTPClient.get(url, timeoutSeconds: 60, limit: 4096)
        let key = try Minisign.PublicKey(text: String(decoding: data, as: UTF8.self), origin: URLSecrets.redacted(url))
        return TrustedKeys(keys: [key], fetchedFromHost: SiteAddress.host(of: site))
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The key ids, for messages.
    public var idList: String { keys.map(\.keyIDText).joined(separator: ", ") }

    /// Checks a minisign signature of `message` with the trusted key whose id it names; returns the
    /// key's id and the trusted comment.
    public func verify(signature: Data, of message: Data, origin: String) throws(Problem) -> (keyID: String, trustedComment: String) {
        let parsed = try Minisign.Signature(text: String(decoding: signature, as: UTF8.self), origin: origin)
        guard let key = keys.first(where: { $0.keyID == parsed.keyID }) else {
            throw Problem(origin: origin, reason: "signed by key \(parsed.keyIDText), which is not a trusted key (trusted: \(idList))")
        }
        return (key.keyIDText, try key.verify(parsed, of: message, origin: origin))
    }
}

import Catalog
import Infrastructure
import Storage
import Foundation

/// A site's tezos-snapshots.json, trusted once its minisign signature checks with a trusted key
/// and it is not older than the client allows (a frozen mirror, or an old catalog replayed, would
/// otherwise lead nodes to old snapshots forever).
public struct SignedCatalog: Sendable {
    public var url: String
    public var artifacts: [Artifact]
    /// Entries that did not pass the validation gate, left out.
    public var rejected: Int
    public var signedBy: String
    /// When it was signed (the signature's trusted `timestamp:`), else its `date_generated`.
    public var signedAt: Int64

    /// Fetches and checks the catalog at `url` (the document itself, its signature beside it).
    public static func fetch(_ url: String, keys: TrustedKeys, maxAgeSeconds: Int64?, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(Problem) -> SignedCatalog {
        let document = try HTTPClient.get(url, timeoutSeconds: 120, limit: 256 << 20)
        let signature = try PinnedArtifact.fetchIfPresent(url + ".minisig")
        var catalog = try check(document, signature: signature, origin: URLSecrets.redacted(url), keys: keys, maxAgeSeconds: maxAgeSeconds, now: now)
        catalog.url = url
        return catalog
    }

    /// Checks a catalog's bytes and signature (nil when it has none) read from `origin`.
    public static func check(_ document: Data, signature: Data?, origin shown: String, keys: TrustedKeys, maxAgeSeconds: Int64?,
                             now: Int64 = Int64(Date().timeIntervalSince1970)) throws(Problem) -> SignedCatalog {
        guard let signature else {
            throw Problem(origin: shown + ".minisig", reason: "not found: the catalog is not signed, so nothing says who published it")
        }
        guard !keys.isEmpty else { throw Problem(origin: "--public-key", reason: "no trusted key to check the catalog's signature with: pass --public-key KEY or --site URL") }
        let signed = try keys.verify(signature: signature, of: document, origin: shown + ".minisig")
        let json: JSONValue
        do { json = try JSONParser.parse(document) } catch { throw Problem(origin: shown, reason: "not JSON: \(error)") }
        guard case .array(let entries)? = json["data"] else { throw Problem(origin: shown, reason: "expected an object with a \"data\" list of artifacts") }
        var artifacts: [Artifact] = []
        for entry in entries {
            if let artifact = try? Artifact.validated(entry).artifact { artifacts.append(artifact) }
        }
        let generated: Int64? = if case .string(let text)? = json["date_generated"] { BlockTimestamp(text)?.secondsSince1970 } else { nil }
        guard let signedAt = trustedTimestamp(signed.trustedComment) ?? generated else {
            throw Problem(origin: shown, reason: "tells no time: neither a signed timestamp nor a date_generated")
        }
        if let maxAgeSeconds, now - signedAt > maxAgeSeconds {
            throw Problem(origin: shown, reason: "signed \(BlockTimestamp.format(secondsSince1970: UInt64(max(0, signedAt)))), \(age(now - signedAt)) ago, older than the \(age(maxAgeSeconds)) allowed (--max-age): a stale or replayed catalog")
        }
        return SignedCatalog(url: shown, artifacts: artifacts, rejected: entries.count - artifacts.count, signedBy: signed.keyID, signedAt: signedAt)
    }

    /// `timestamp:<seconds>` from a trusted comment, as minisign and shots write it.
    static func trustedTimestamp(_ comment: String) -> Int64? {
        comment.split(separator: "\t").first { $0.hasPrefix("timestamp:") }.flatMap { Int64($0.dropFirst("timestamp:".count)) }
    }

    static func age(_ seconds: Int64) -> String {
        seconds >= 86_400 ? "\(seconds / 86_400) d \(seconds % 86_400 / 3_600) h" : seconds >= 3_600 ? "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" : "\(seconds) s"
    }
}

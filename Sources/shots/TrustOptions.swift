import ArgumentParser
import Infrastructure
import ShotsConfiguration
import Foundation
import Restore

/// Whom `verify` and `restore` trust, and how they download: the flags both verbs share.
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("public-key"), help: ArgumentHelp(
        "A trusted minisign public key (RW...) or a minisign.pub file; repeat it to trust several (key rotation). Without it or --site: SHOTS_PUBLIC_KEY.",
        valueName: "key"))
    var publicKeys: [String] = []

    @Option(help: ArgumentHelp("Trust the key a site publishes: its URL (reads /shots.pub), or a site folder (its site.yml's signing_public_key).",
                               valueName: "url-or-folder"))
    var site: String?

    @Flag(help: "With no trusted key, check the artifact against the checksum beside it alone (proves the download intact, not who made it).")
    var checksumOnly = false

    @Option(help: ArgumentHelp("Refuse a signed catalog signed longer ago than this (a frozen or replayed catalog); 0 for no limit.",
                               valueName: "duration"))
    var maxAge = "7d"

    @Option(help: "Parallel connections, each fetching ranges of the artifact (for hosts that cap each connection's speed).")
    var connections = 4

    func validate() throws {
        guard maxAge == "0" || DurationText.seconds(maxAge) != nil else { throw ValidationError("--max-age: expected \(DurationText.expectation), or 0, found \"\(maxAge)\"") }
        guard (1...16).contains(connections) else { throw ValidationError("--connections: expected 1 to 16, found \(connections)") }
    }

    var maxAgeSeconds: Int64? { maxAge == "0" ? nil : DurationText.seconds(maxAge) }

    /// The trusted keys (`TrustedKeys.resolve`); `sourceSite` is the site a restore chooses from.
    func keys(sourceSite: String? = nil) throws(Problem) -> TrustedKeys {
        try TrustedKeys.resolve(publicKeys: publicKeys, site: site, environment: ProcessInfo.processInfo.environment, sourceSite: sourceSite)
    }
}

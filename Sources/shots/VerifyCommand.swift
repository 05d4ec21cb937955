import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Pipeline
import Restore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an artifact (a file or a URL) or a signed catalog against what its publisher signed.",
        discussion: """
            An artifact is checked against the files published beside it: its size and SHA-256 \
            against its metadata (<file>.json) and its checksum (.sha256), and that checksum's \
            minisign signature (.sha256.minisig) against a trusted key. A URL may be a permalink: \
            it is followed once, and every request then goes to the artifact it led to; nothing is \
            written to disk. tezos-snapshots.json (a file or a URL) is checked against its \
            signature (.minisig) and refused when signed longer ago than --max-age. Prints one \
            line saying what was verified; exits 1 naming the first mismatch.

            Examples:
              shots verify https://mainnet.xtz-shots.io/rolling-tarball --public-key RWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY
              shots verify ./tezos-mainnet-rolling-tarball-5000000.lz4 --public-key shots.pub
              shots verify https://xtz-shots.io/tezos-snapshots.json --site https://xtz-shots.io --max-age 2d
              shots verify https://mainnet.xtz-shots.io/rolling --public-key old.pub --public-key new.pub
            """
    )

    @Argument(help: ArgumentHelp("An artifact file (its companions beside it), an artifact URL or permalink, or tezos-snapshots.json.",
                                 valueName: "file-or-url"))
    var target: String

    @OptionGroup var trust: TrustOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let outcome: Verification.Outcome
        do throws(Problem) {
            let keys = try trust.keys()
            outcome = try Verification.run(target, keys: keys, checksumOnly: trust.checksumOnly, connections: trust.connections,
                                           maxCatalogAgeSeconds: trust.maxAgeSeconds,
                                           progress: .forStandardError(label: "verify", quiet: outputOptions.quiet || outputOptions.json),
                                           log: { line in standardError(line) })
        } catch {
            throw fail(error)
        }
        outputOptions.say(Self.line(outcome))
        var fields: [String: JSONValue] = ["verified": .string(outcome.subject), "filename": .string(outcome.filename)]
        if let sha256 = outcome.sha256 { fields["sha256"] = .string(sha256); fields["size"] = .integer(outcome.size) }
        if let key = outcome.signedBy { fields["signed_by"] = .string(key) }
        if let comment = outcome.trustedComment { fields["trusted_comment"] = .string(comment) }
        if let count = outcome.artifacts { fields["artifacts"] = .integer(Int64(count)) }
        if let signedAt = outcome.signedAt { fields["signed_at"] = .string(BlockTimestamp.format(secondsSince1970: UInt64(max(0, signedAt)))) }
        fields["warnings"] = .array(outcome.warnings.map { .string($0) })
        outputOptions.emit(.object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
    }

    static func line(_ outcome: Verification.Outcome) -> String {
        let signature = outcome.signedBy.map { "signed by key \($0)" } ?? "signature NOT checked (--checksum-only)"
        if let count = outcome.artifacts {
            let at = outcome.signedAt.map { BlockTimestamp.format(secondsSince1970: UInt64(max(0, $0))) } ?? "?"
            return "verified \(outcome.subject): \(count) artifacts, \(signature) at \(at)"
        }
        return "verified \(outcome.filename): \(outcome.size) bytes, sha256 \(outcome.sha256 ?? "") as its metadata and .sha256 say, \(signature)"
    }
}

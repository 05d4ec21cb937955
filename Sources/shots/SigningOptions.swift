import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Pipeline

/// The minisign key that signs what a verb writes (pack's `.sha256`, the site's catalog).
struct SigningOptions: ParsableArguments {
    @Option(help: "An unencrypted minisign secret key file (default: $SHOTS_SIGNING_KEY holds the key).")
    var signingKey: String?
    @Flag(help: "Write no signature (only when no key can be had; clients cannot verify the origin).")
    var unsigned = false

    func validate() throws {
        if unsigned, signingKey != nil { throw ValidationError("--unsigned and --signing-key contradict each other: give one") }
    }

    /// The key, read once; nil with `--unsigned`.
    func key(environment: [String: String]) throws(Problem) -> Minisign.SecretKey? {
        try PackInputs(signingKeyFile: signingKey, unsigned: unsigned, environment: environment).signingKey()
    }
}

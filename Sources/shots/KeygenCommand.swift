import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Pipeline

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a minisign key pair for signing artifacts.",
        discussion: """
            Writes shots.key (the secret key, unencrypted, readable by its owner only) and shots.pub \
            into the output folder, and prints the public key for site.yml's signing_public_key. \
            Both files are in minisign's formats: `minisign -S -s shots.key` signs with the key, and \
            `minisign -V -p shots.pub` checks what `shots pack` signs. Keep shots.key in a secret \
            store (e.g. a Kubernetes Secret passed as SHOTS_SIGNING_KEY), never in a bucket or image.

            Example:
              shots keygen -o /secure/keys
            """
    )

    @Option(name: .shortAndLong, help: "The folder to write shots.key and shots.pub into.")
    var output = "."

    @Flag(help: "Replace an existing key pair (whatever it signed can then no longer be checked).")
    var force = false

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let key = Minisign.SecretKey.generate()
        let paths: (secret: String, public: String)
        do throws(Problem) { paths = try key.writePair(folder: output, replacing: force) } catch {
            throw fail(error)
        }
        outputOptions.say("secret key: \(paths.secret) (keep it secret)")
        outputOptions.say("public key: \(paths.public)")
        outputOptions.say("signing_public_key: \(key.publicKeyText)")
        outputOptions.emit(.object(["secret_key_file": .string(paths.secret), "public_key_file": .string(paths.public),
                                    "public_key": .string(key.publicKeyText)]))
    }
}

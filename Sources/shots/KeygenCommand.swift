import ArgumentParser
import Catalog
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
        let secretPath = (output as NSString).appendingPathComponent("shots.key")
        let publicPath = (output as NSString).appendingPathComponent("shots.pub")
        do throws(Problem) {
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try write(key.secretKeyFile, to: secretPath, mode: 0o600)
            try write(key.publicKeyFile, to: publicPath, mode: 0o644)
        } catch {
            throw fail(error)
        }
        outputOptions.say("secret key: \(secretPath) (keep it secret)")
        outputOptions.say("public key: \(publicPath)")
        outputOptions.say("signing_public_key: \(key.publicKeyText)")
        outputOptions.emit(.object(["secret_key_file": .string(secretPath), "public_key_file": .string(publicPath),
                                    "public_key": .string(key.publicKeyText)]))
    }

    /// Creates the file with its mode from the start (a secret is never readable by others, even briefly).
    private func write(_ text: String, to path: String, mode: mode_t) throws(Problem) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, mode)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "already exists: keep it, or pass --force to replace the key pair" : String(cString: strerror(errno))
            throw Problem(origin: path, reason: reason)
        }
        defer { close(descriptor) }
        fchmod(descriptor, mode)
        let bytes = Array(text.utf8)
        guard Foundation.write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw Problem(origin: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}

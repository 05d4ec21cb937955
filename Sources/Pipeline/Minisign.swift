import CSodium
import Catalog
import Infrastructure
import Crypto
import Foundation

/// Ed25519 keys and signatures in minisign's formats, so that `minisign -V` checks what shots
/// signs and keys move freely between the two tools. Signing is swift-crypto's Ed25519; minisign's
/// BLAKE2b (key checksums, the prehash of signed files) is libsodium's, as in minisign itself.
public enum Minisign {
    /// A secret key: minisign's 8-byte key id and the Ed25519 key.
    public struct SecretKey {
        public let keyID: [UInt8]
        let signingKey: Curve25519.Signing.PrivateKey

        /// The public key as minisign prints it (`RW...`), for `minisign -P` and site.yml.
        public var publicKeyText: String {
            Data([0x45, 0x64] + keyID + Array(signingKey.publicKey.rawRepresentation)).base64EncodedString()
        }

        /// The public key file (`minisign.pub`): a comment naming the key id, and the key.
        public var publicKeyFile: String {
            "untrusted comment: minisign public key \(MinisignKeyID.text(keyID))\n\(publicKeyText)\n"
        }

        /// The secret key file, unencrypted (as `minisign -G -W` writes it).
        public var secretKeyFile: String {
            let secret = Array(signingKey.rawRepresentation) + Array(signingKey.publicKey.rawRepresentation)
            let checksum = Minisign.blake2b([0x45, 0x64] + keyID + secret, length: 32)
            let record: [UInt8] = [0x45, 0x64, 0, 0, 0x42, 0x32] + [UInt8](repeating: 0, count: 48) + keyID + secret + checksum
            return "untrusted comment: minisign secret key \(MinisignKeyID.text(keyID))\n\(Data(record).base64EncodedString())\n"
        }

        /// Writes `shots.key` (owner-only) and `shots.pub` into `folder`. Neither is replaced unless
        /// `replacing`; both appear together or not at all, the public key first.
        public func writePair(folder: String, replacing: Bool) throws(Problem) -> (secret: String, public: String) {
            let secret = (folder as NSString).appendingPathComponent("shots.key")
            let publicKey = (folder as NSString).appendingPathComponent("shots.pub")
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw Problem(origin: folder, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
            }
            for path in [secret, publicKey] where !replacing && FileManager.default.fileExists(atPath: path) {
                throw Problem(origin: path, reason: "already exists: keep it, or pass --force to replace the key pair")
            }
            let files = [try StagedFile(finalPath: publicKey, mode: 0o644), try StagedFile(finalPath: secret, mode: 0o600)]
            do throws(Problem) {
                try files[0].write(Data(publicKeyFile.utf8))
                try files[1].write(Data(secretKeyFile.utf8))
                for file in files { try file.commit() }
            } catch {
                for file in files { file.discard() }
                throw error
            }
            return (secret, publicKey)
        }

        /// A new random key pair.
        public static func generate() -> SecretKey {
            var generator = SystemRandomNumberGenerator()
            return SecretKey(keyID: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }, signingKey: .init())
        }

        /// Reads an unencrypted minisign secret key: the file's text, or only its base64 line
        /// (`origin` names where it came from, for messages, never the key itself).
        public init(text: String, origin: String) throws(Problem) {
            func bad(_ reason: String) -> Problem { Problem(origin: origin, reason: "not a usable minisign secret key: \(reason)") }
            guard let record = Minisign.keyRecord(text), record.count == 158
            else { throw bad("expected minisign's secret key file (a comment line, then 158 bytes in base64)") }
            guard record[0..<2] == [0x45, 0x64] else { throw bad("not an Ed25519 key") }
            guard record[2..<4] == [0, 0] else {
                throw bad("it is encrypted with a password; shots needs an unencrypted key (`shots keygen`, or `minisign -G -W`)")
            }
            guard record[4..<6] == [0x42, 0x32] else { throw bad("unknown checksum algorithm") }
            let keyID = Array(record[54..<62])
            let secret = Array(record[62..<126])
            // `minisign -G -W` leaves an unencrypted key's checksum zero; any other must match.
            let checksum = Array(record[126..<158])
            guard checksum.allSatisfy({ $0 == 0 }) || Minisign.blake2b([0x45, 0x64] + keyID + secret, length: 32) == checksum else {
                throw bad("its checksum does not match (damaged, or encrypted)")
            }
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: secret[0..<32]),
                  Array(key.publicKey.rawRepresentation) == Array(secret[32..<64])
            else { throw bad("its public half does not belong to its secret half") }
            self.init(keyID: keyID, signingKey: key)
        }

        init(keyID: [UInt8], signingKey: Curve25519.Signing.PrivateKey) {
            self.keyID = keyID
            self.signingKey = signingKey
        }

        /// A minisign signature file for `message` (prehashed with BLAKE2b-512, minisign's default),
        /// with `trustedComment` signed along with it.
        public func signature(of message: Data, trustedComment: String) throws(Problem) -> String {
            let prehash = Minisign.blake2b(Array(message), length: 64)
            let trusted = trustedComment.replacingOccurrences(of: "\n", with: " ")
            do {
                let signature = Array(try signingKey.signature(for: prehash))
                let global = Array(try signingKey.signature(for: signature + Array(trusted.utf8)))
                return "untrusted comment: signature from shots secret key \(MinisignKeyID.text(keyID))\n"
                    + Data([0x45, 0x44] + keyID + signature).base64EncodedString() + "\n"
                    + "trusted comment: \(trusted)\n"
                    + Data(global).base64EncodedString() + "\n"
            } catch {
                throw Problem(origin: "signature", reason: "Ed25519 signing failed: \(error)")
            }
        }
    }

    /// A key file's bytes: its first line that is not a comment, base64-decoded.
    static func keyRecord(_ text: String) -> [UInt8]? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { !$0.isEmpty && !$0.hasPrefix("untrusted comment:") }.flatMap { Data(base64Encoded: $0) }.map(Array.init)
    }

    static func blake2b(_ bytes: [UInt8], length: Int) -> [UInt8] {
        _ = sodium_init()
        var output = [UInt8](repeating: 0, count: length)
        crypto_generichash(&output, length, bytes, UInt64(bytes.count), nil, 0)
        return output
    }
}

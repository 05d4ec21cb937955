import Catalog
import Infrastructure
import Crypto
import Foundation

extension Minisign {
    /// A public key as minisign prints it (`RW...`, or the `minisign.pub` file): what checks the
    /// signatures a publisher made, recognised by its key id when several are trusted.
    public struct PublicKey: Sendable, Equatable {
        public let keyID: [UInt8]
        let rawKey: [UInt8]

        /// The key id as minisign prints it (hex of the little-endian number).
        public var keyIDText: String { MinisignKeyID.text(keyID) }

        /// Reads the key's base64 line alone, or a `minisign.pub` file's text (`origin` names where
        /// it came from, for messages).
        public init(text: String, origin: String) throws(Problem) {
            guard let record = Minisign.keyRecord(text), record.count == 42, record[0..<2] == [0x45, 0x64]
            else {
                throw Problem(origin: origin, reason: "not a minisign public key: expected 56 base64 characters starting with RW (as `shots keygen` prints it), or a minisign.pub file")
            }
            keyID = Array(record[2..<10])
            rawKey = Array(record[10..<42])
        }

        /// Checks a minisign signature of `message`: the signature itself (prehashed or not, as
        /// minisign makes either) and the signature of its trusted comment. Returns the trusted
        /// comment; throws naming what does not hold. `origin` names the signature file.
        public func verify(_ parsed: Signature, of message: Data, origin: String) throws(Problem) -> String {
            guard parsed.keyID == keyID else {
                throw Problem(origin: origin, reason: "signed by key \(MinisignKeyID.text(parsed.keyID)), not by the trusted key \(keyIDText)")
            }
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey) else {
                throw Problem(origin: origin, reason: "the trusted key \(keyIDText) is not a valid Ed25519 key")
            }
            let signed = parsed.isPrehashed ? Data(Minisign.blake2b(Array(message), length: 64)) : message
            guard key.isValidSignature(Data(parsed.signature), for: signed) else {
                throw Problem(origin: origin, reason: "the signature does not match the signed file (key \(keyIDText)): the file was changed, or signed by another key")
            }
            guard key.isValidSignature(Data(parsed.globalSignature), for: Data(parsed.signature + Array(parsed.trustedComment.utf8))) else {
                throw Problem(origin: origin, reason: "the trusted comment's signature does not match (key \(keyIDText)): the comment was changed")
            }
            return parsed.trustedComment
        }
    }

    /// A minisign signature file, parsed: which key made it, and its two signatures.
    public struct Signature: Sendable {
        public let keyID: [UInt8]
        /// The signing key's id as minisign prints it.
        public var keyIDText: String { MinisignKeyID.text(keyID) }
        let isPrehashed: Bool
        let signature: [UInt8]
        let trustedComment: String
        let globalSignature: [UInt8]

        public init(text: String, origin: String) throws(Problem) {
            func bad(_ reason: String) -> Problem { Problem(origin: origin, reason: "not a minisign signature: \(reason)") }
            let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            guard lines.count >= 4, lines[0].hasPrefix("untrusted comment:"), lines[2].hasPrefix("trusted comment: ") else {
                throw bad("expected four lines (untrusted comment, signature, trusted comment, its signature)")
            }
            guard let record = Data(base64Encoded: lines[1]).map(Array.init), record.count == 74 else {
                throw bad("the signature line is not 74 bytes in base64")
            }
            switch (record[0], record[1]) {
            case (0x45, 0x64): isPrehashed = false
            case (0x45, 0x44): isPrehashed = true
            default: throw bad("unknown signature algorithm")
            }
            guard let global = Data(base64Encoded: lines[3]).map(Array.init), global.count == 64 else {
                throw bad("the trusted comment's signature is not 64 bytes in base64")
            }
            keyID = Array(record[2..<10])
            signature = Array(record[10..<74])
            trustedComment = String(lines[2].dropFirst("trusted comment: ".count))
            globalSignature = global
        }
    }
}

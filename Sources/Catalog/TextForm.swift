/// The shapes a metadata string may take. Each is an allow-list: anything that could carry markup,
/// script, a path escape or a line break into a page, a URL or a log is refused at the door.
enum TextForm {
    /// A plain file name: letters, digits and `._-+~:=,`; no `/`, no `..`, no whitespace.
    case filename
    /// URL characters of RFC 3986 only, no whitespace, quotes or angle brackets.
    case url
    /// A Tezos block hash: `B` and 50 more base58 characters.
    case blockHash
    /// 64 lowercase hexadecimal digits.
    case sha256
    /// A network name such as `mainnet` or `TEZOS_LIMANET_2022-10-13T15:00:00Z`.
    case chainName
    /// A lowercase identifier such as `octez`, `release`, `rc`.
    case word
    /// A git commit hash, abbreviated or full.
    case commitHash
    /// Free text of one line without markup characters (dates, sizes).
    case text

    var expectation: String {
        switch self {
        case .filename: "a plain file name (letters, digits and ._-+~:=, only; no '/', '..' or spaces)"
        case .url: "a URL without spaces, quotes or angle brackets"
        case .blockHash: "a Tezos block hash (B followed by 50 base58 characters)"
        case .sha256: "64 lowercase hexadecimal digits"
        case .chainName: "a network name (letters, digits and ._:- only)"
        case .word: "a lowercase word (a-z, 0-9, _ and -)"
        case .commitHash: "a git commit hash (7 to 64 hexadecimal digits)"
        case .text: "one line of text without control characters or <>\"'`"
        }
    }

    func accepts(_ text: String) -> Bool {
        let bytes = text.utf8
        switch self {
        case .filename:
            return (1...255).contains(bytes.count) && !text.contains("..") && text != "."
                && bytes.allSatisfy { Self.isAlphanumeric($0) || "._-+~:=,".utf8.contains($0) }
        case .url:
            return (1...2048).contains(bytes.count) && bytes.allSatisfy { Self.isAlphanumeric($0) || "-._~:/?#[]@!$&()*+,;=%".utf8.contains($0) }
        case .blockHash:
            return bytes.count == 51 && bytes.first == UInt8(ascii: "B") && bytes.allSatisfy { Self.base58.contains($0) }
        case .sha256:
            return bytes.count == 64 && bytes.allSatisfy(Self.isLowercaseHex)
        case .chainName:
            return (1...128).contains(bytes.count) && Self.isAlphanumeric(bytes.first!)
                && bytes.allSatisfy { Self.isAlphanumeric($0) || "._:-".utf8.contains($0) }
        case .word:
            return (1...64).contains(bytes.count)
                && bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || Self.isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        case .commitHash:
            return (7...64).contains(bytes.count) && bytes.allSatisfy { Self.isLowercaseHex($0) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        case .text:
            return bytes.count <= 256 && text.unicodeScalars.allSatisfy { scalar in
                !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || "<>\"'`".unicodeScalars.contains(scalar)
                    || scalar == "\u{2028}" || scalar == "\u{2029}")
            }
        }
    }

    private static let base58 = Set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}

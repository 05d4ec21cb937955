import Infrastructure

/// The shapes a metadata string may take. Each is an allow-list: anything that could carry markup,
/// script, a path escape or a line break into a page, a URL or a log is refused at the door.
public enum TextForm: Sendable {
    /// A plain file name: letters, digits and `._-+~:=,`, starting with a letter or digit; no `/`,
    /// no `..`, no whitespace; not a name the site itself uses (`.json`, `.html`, `_redirects`...).
    case filename
    /// The characters of an http(s) URL without query or fragment: no whitespace, quotes,
    /// brackets or parentheses, so it can stand in HTML, Markdown or a shell command as it is.
    case url
    /// A Tezos block hash: `B` and 50 more base58 characters.
    case blockHash
    /// 64 lowercase hexadecimal digits.
    case sha256
    /// A network name such as `mainnet` or `TEZOS_LIMANET_2022-10-13T15:00:00Z`.
    case chainName
    /// A lowercase identifier such as `octez`, `release`, `rc`.
    case word
    /// A Substrate block hash: `0x` and 64 lowercase hex digits.
    case substrateHash
    /// A node version such as `1.10.0-7049c3c98c0`.
    case nodeVersion
    /// A git commit hash, abbreviated or full.
    case commitHash
    /// Free text of one line without markup characters (dates, sizes, names, titles).
    case text
    /// A configured name, title or description: one line of up to 2,048 bytes, quotes allowed
    /// (escaped where shown), no control, invisible or direction characters, no `<>` or backtick.
    case prose

    public var expectation: String {
        switch self {
        case .filename: "a plain file name (letters, digits and ._-+~:=, only, starting with a letter or digit; no '/', '..' or spaces; not .json, .html, .xml, .sha256 or .minisig)"
        case .url: "a URL of letters, digits and -._~:/%+=, only (no spaces, quotes, brackets, query or fragment)"
        case .blockHash: "a Tezos block hash (B followed by 50 base58 characters)"
        case .sha256: "64 lowercase hexadecimal digits"
        case .chainName: "a network name (letters, digits and ._:- only)"
        case .word: "a lowercase word (a-z, 0-9, _ and -)"
        case .substrateHash: "a block hash (0x and 64 lowercase hexadecimal digits)"
        case .nodeVersion: "a version such as 1.10.0-7049c3c98c0 (letters, digits and .+- only)"
        case .commitHash: "a git commit hash (7 to 64 hexadecimal digits)"
        case .text: "one line of text without control, invisible or direction characters or <>\"'`"
        case .prose: "one line of text (at most 2048 bytes) without line breaks, control, invisible or direction characters, <, > or `"
        }
    }

    public func accepts(_ text: String) -> Bool {
        let bytes = text.utf8
        switch self {
        case .filename:
            return (1...255).contains(bytes.count) && Self.alphanumericBytes[Int(bytes.first!)]
                && !zip(bytes, bytes.dropFirst()).contains { $0 == 0x2E && $1 == 0x2E }
                && bytes.allSatisfy { Self.filenameBytes[Int($0)] }
                && !Self.siteFileSuffixes.contains { text.lowercased().hasSuffix($0) }
        case .url:
            return (1...2048).contains(bytes.count) && bytes.allSatisfy { Self.urlBytes[Int($0)] }
        case .blockHash:
            return bytes.count == 51 && bytes.first == UInt8(ascii: "B") && bytes.allSatisfy { Self.base58Bytes[Int($0)] }
        case .sha256:
            return bytes.count == 64 && bytes.allSatisfy { Self.lowercaseHexBytes[Int($0)] }
        case .chainName:
            return (1...128).contains(bytes.count) && Self.alphanumericBytes[Int(bytes.first!)]
                && bytes.allSatisfy { Self.chainNameBytes[Int($0)] }
        case .word:
            return (1...64).contains(bytes.count) && bytes.allSatisfy { Self.wordBytes[Int($0)] }
        case .substrateHash:
            return bytes.count == 66 && text.hasPrefix("0x") && bytes.dropFirst(2).allSatisfy { Self.lowercaseHexBytes[Int($0)] }
        case .nodeVersion:
            return (1...64).contains(bytes.count) && Self.alphanumericBytes[Int(bytes.first!)] && bytes.allSatisfy { Self.nodeVersionBytes[Int($0)] }
        case .commitHash:
            return (7...64).contains(bytes.count) && bytes.allSatisfy { Self.hexBytes[Int($0)] }
        case .text, .prose:
            // ASCII controls and markup characters go byte by byte; the rest of UTF-8 is fine except
            // C1 controls, zero-width and direction marks, and line/paragraph separators.
            let forbidden = self == .text ? Self.textForbiddenBytes : Self.proseForbiddenBytes
            guard bytes.count <= (self == .text ? 256 : 2048), !bytes.contains(where: { forbidden[Int($0)] }) else { return false }
            return bytes.allSatisfy({ $0 < 0x80 }) || !text.unicodeScalars.contains(where: Self.isInvisible)
        }
    }

    // Byte tables: one lookup per byte, since every artifact of a 10,000-entry base.json passes here.
    private static let alphanumericBytes = table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    private static let filenameBytes = table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+~:=,")
    private static let urlBytes = table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/%+=,")
    private static let base58Bytes = table("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    private static let lowercaseHexBytes = table("0123456789abcdef")
    private static let hexBytes = table("0123456789abcdefABCDEF")
    private static let chainNameBytes = table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")
    private static let nodeVersionBytes = table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-")
    private static let wordBytes = table("abcdefghijklmnopqrstuvwxyz0123456789_-")
    private static let siteFileSuffixes = [".json", ".html", ".htm", ".xml", ".sha256", ".minisig", ".md", "_redirects"]
    /// Characters that show nothing, or change how what follows is shown: controls, format
    /// characters (Unicode's Cf: zero-width, direction marks and isolates, soft hyphen, tags...),
    /// line and paragraph separators, Hangul fillers, variation selectors, the grapheme joiner.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII else { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
        default: break
        }
        return invisibleScalars.contains { $0.contains(scalar.value) }
    }

    private static let invisibleScalars: [ClosedRange<UInt32>] = [
        0x034F...0x034F, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F, 0x3164...0x3164, 0xFE00...0xFE0D,  // FE0E and FE0F choose text or emoji style: kept
        0xFFA0...0xFFA0, 0xE0100...0xE01EF,
    ]
    private static let textForbiddenBytes = table(String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}<>\"'`")
    private static let proseForbiddenBytes = table(String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}<>`")

    private static func table(_ allowed: String) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for byte in allowed.utf8 { table[Int(byte)] = true }
        return table
    }
}

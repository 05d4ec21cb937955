/// A minisign key id as minisign writes it in its key files' comments (`minisign public key
/// 4E1A0B…`): the 8 bytes stored little-endian, as one uppercase hexadecimal number without
/// leading zeros (`%PRIX64`), so shots' files are byte for byte minisign's.
public enum MinisignKeyID {
    public static func text(_ bytes: some Collection<UInt8>) -> String {
        String(bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, radix: 16, uppercase: true)
    }
}

import Crypto
import Foundation

/// Lowercase hexadecimal of a digest, as ETags and `x-amz-content-sha256` spell it.
public enum Hex {
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 15)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The ETag a store gives a whole object of these bytes.
    public static func md5(_ data: Data) -> String { string(Insecure.MD5.hash(data: data)) }
}

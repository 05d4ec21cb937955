import Foundation

/// The few elements shots reads from S3 and STS answers (`<Key>`, `<UploadId>`, `<Code>`...).
/// S3's XML is flat and regular, so a scan for named elements is enough, and it keeps an XML
/// library (and its start-up cost) out of every verb.
struct S3XML {
    let text: String

    init(_ data: Data) { text = String(decoding: data, as: UTF8.self) }

    /// The text of the first `<name>` element, entities decoded.
    func first(_ name: String) -> String? { all(name, in: text[...]).first }

    /// Every `<name>` element's text, in order.
    func all(_ name: String) -> [String] { all(name, in: text[...]) }

    /// Each `<name>...</name>` element's inner XML, for reading its children with `S3XML`.
    func elements(_ name: String) -> [S3XML] { raw(name, in: text[...]).map { S3XML(Data($0.utf8)) } }

    private func all(_ name: String, in text: Substring) -> [String] { raw(name, in: text).map(Self.decode) }

    private func raw(_ name: String, in text: Substring) -> [Substring] {
        var found: [Substring] = []
        var rest = text
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            found.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return found
    }

    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var decoded = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            decoded += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": decoded += "&"
            case "lt": decoded += "<"
            case "gt": decoded += ">"
            case "quot": decoded += "\""
            case "apos": decoded += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { decoded.unicodeScalars.append(scalar) } else { decoded += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return decoded + rest
    }

    /// Text safe inside an element.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

import Foundation

/// A path as the file system spells it: bytes, not necessarily UTF-8. GNU tar keeps a name byte
/// for byte, so a tarball's names never pass through `String`, which would replace what is not
/// UTF-8 (two names `a-\xff` and `a-\xfe` would both become `a-\u{FFFD}`).
extension [UInt8] {
    /// The bytes of a C string.
    init(cString pointer: UnsafePointer<CChar>) {
        self.init(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }

    /// Calls `body` with the bytes as a NUL-terminated C string.
    func withPathCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (self + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// The path as a message shows it: UTF-8 as it is, any other byte as `\xff`, so two names
    /// that differ only there stay apart.
    var shownAsPath: String {
        var shown = ""
        var index = startIndex
        while index < endIndex {
            let lead = self[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
            if length > 0, index + length <= endIndex, let text = String(bytes: self[index..<index + length], encoding: .utf8) {
                shown += text
                index += length
            } else {
                shown += String(format: "\\x%02x", lead)
                index += 1
            }
        }
        return shown
    }
}

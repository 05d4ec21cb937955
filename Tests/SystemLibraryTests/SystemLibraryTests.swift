import CCmark
import CCurl
import CLZ4
import Foundation
import Testing

/// The Debian libraries link through pkg-config and are new enough for what shots uses them for.
@Suite("system libraries")
struct SystemLibraryTests {
    @Test("liblz4 has the frame API of 1.9 (what `lz4 -d` 1.9.4 reads)")
    func lz4() {
        #expect(LZ4_versionNumber() >= 10_900)
        #expect(LZ4F_getVersion() == UInt32(LZ4F_VERSION))
    }

    @Test("libcurl supports AWS SigV4 signing (7.75 and later) over HTTPS")
    func curl() throws {
        let info = try #require(shots_curl_version_info())
        #expect(info.pointee.version_num >= 0x074B00)
        let protocols = sequence(state: info.pointee.protocols) { cursor -> String? in
            guard let name = cursor?.pointee else { return nil }
            cursor = cursor?.advanced(by: 1)
            return String(cString: name)
        }
        #expect(Set(protocols).isSuperset(of: ["http", "https"]))
    }

    @Test("libcmark renders CommonMark")
    func cmark() throws {
        let markdown = "# Snapshots\n\n*fresh*"
        let html = try #require(cmark_markdown_to_html(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT))
        defer { free(html) }
        #expect(String(cString: html) == "<h1>Snapshots</h1>\n<p><em>fresh</em></p>\n")
    }
}

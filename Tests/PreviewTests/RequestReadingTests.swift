@testable import Preview
import Testing

/// How the preview reads what a client asks: paths strictly, ranges as RFC 9110 says.
@Suite("the preview reads requests strictly")
struct RequestReadingTests {
    @Test("dot segments, encoded slashes, backslashes and control bytes are refused, not cleaned up")
    func hostilePaths() {
        for raw in ["/../etc/passwd", "/a/%2e%2e/b", "/a%2fb", "/a%5cb", "/a\\b", "/a%00b", "/a//b", "/%c0%ae%c0%ae/x"] {
            #expect(RequestPath(raw) == nil, "\(raw)")
        }
        #expect(RequestPath("/mainnet/rolling/")?.segments == ["mainnet", "rolling"])
        #expect(RequestPath("/mainnet/rolling/")?.isFolder == true)
        #expect(RequestPath("/a%20b")?.key == "a b")
    }

    @Test("ranges: one part is answered, several the whole object, a bad one 416")
    func ranges() {
        #expect(ByteRange(header: nil, size: 100) == .whole)
        #expect(ByteRange(header: "bytes=10-19", size: 100) == .part(10...19))
        #expect(ByteRange(header: "bytes=-10", size: 100) == .part(90...99))
        #expect(ByteRange(header: "bytes=90-", size: 100) == .part(90...99))
        #expect(ByteRange(header: "bytes=0-1,5-6", size: 100) == .whole)
        #expect(ByteRange(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "items=0-1", size: 100) == .unsatisfiable)
    }

    @Test("_redirects rules: the first rule for a path wins, with or without its trailing slash")
    func redirectRules() {
        let rules = SiteRedirectRules("# comment\n/mainnet/rolling https://a/x 302\n/mainnet/rolling https://a/y 302\n/old /new\n")
        #expect(rules.rule(for: "/mainnet/rolling/") == .init(location: "https://a/x", status: 302))
        #expect(rules.rule(for: "/old")?.status == 301)
        #expect(rules.rule(for: "/none") == nil)
    }
}

import Foundation
import Storage
import Testing

/// One way to read and write the dates hosts exchange.
@Suite("HTTP and S3 dates")
struct HTTPDateTests {
    @Test("Last-Modified in RFC 9110's form, both ways")
    func imf() {
        let date = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.imf(date) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.imf("Sun, 06 Nov 1994 08:49:37 GMT") == date)
        #expect(HTTPDate.imf("yesterday") == nil)
    }

    @Test("ISO 8601 as S3 and STS write it: fractions of a second are read and dropped")
    func iso8601() {
        let date = Date(timeIntervalSince1970: 1_718_877_600)
        #expect(HTTPDate.iso8601(date) == "2024-06-20T10:00:00Z")
        #expect(HTTPDate.iso8601("2024-06-20T10:00:00.123Z") == date)
    }
}

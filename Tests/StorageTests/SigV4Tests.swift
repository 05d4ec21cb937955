import Foundation
import Storage
import XCTest

final class SigV4Tests: XCTestCase {
    /// AWS's documented example ("Signature Calculations for the Authorization Header", GET Object
    /// with a Range header): the signature must be the one AWS publishes.
    func testAWSPublishedGetObjectExample() {
        let signer = SigV4(credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1")
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let headers = signer.sign(method: "GET", path: "/test.txt", query: [],
                                  headers: [("host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
                                  payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", date: date)
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        XCTAssertEqual(authorization, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// What libcurl 7.88 gets wrong for multipart: the query sorted, `uploads` with an empty value.
    func testQueryIsSortedAndEncoded() {
        XCTAssertEqual(SigV4.canonicalQuery([("uploadId", "a/b+c"), ("partNumber", "2")]), "partNumber=2&uploadId=a%2Fb%2Bc")
        XCTAssertEqual(SigV4.canonicalQuery([("uploads", "")]), "uploads=")
        XCTAssertEqual(SigV4.encode("tezos mainnet/é~.lz4", keepSlash: true), "tezos%20mainnet/%C3%A9~.lz4")
    }

    func testCredentialsNeverPrintTheirSecret() {
        let credentials = AWSCredentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "s3cr3t-value", sessionToken: "token-value")
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials)] {
            XCTAssertFalse(text.contains("s3cr3t") || text.contains("token-value"), text)
        }
    }

    func testPartScheduleCarriesFiveTebibytesInTenThousandParts() {
        XCTAssertGreaterThanOrEqual(PartSchedule.capacity, 5 << 40)
        XCTAssertEqual(PartSchedule.tiers.reduce(0) { $0 + $1.parts }, 10_000)
        XCTAssertNil(PartSchedule.size(ofPart: 10_001))
        XCTAssertEqual(PartSchedule.size(ofPart: 1), 8 << 20)
        // Up to 100 GB, at most (in flight + 1) parts are held: under 150 MiB with the process.
        var bytes: Int64 = 0
        var part = 1
        while bytes < 100_000_000_000 {
            let size = PartSchedule.size(ofPart: part)!
            XCTAssertLessThanOrEqual((PartSchedule.partsInFlight(partSize: size) + 1) * size, 96 << 20, "part \(part)")
            XCTAssertGreaterThanOrEqual(size, 5 << 20)
            bytes += Int64(size)
            part += 1
        }
    }
}

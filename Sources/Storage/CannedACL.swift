/// An S3 canned ACL, sent as `x-amz-acl` with every object written (`public-read` for
/// DigitalOcean Spaces, where objects are private unless said otherwise).
public enum CannedACL: String, CaseIterable, Sendable {
    case `private`
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
    case authenticatedRead = "authenticated-read"
    case awsExecRead = "aws-exec-read"
    case bucketOwnerRead = "bucket-owner-read"
    case bucketOwnerFullControl = "bucket-owner-full-control"
}

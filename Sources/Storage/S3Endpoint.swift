import Foundation

/// Where an S3 bucket answers: AWS by region, or `--endpoint-url` (DigitalOcean Spaces, R2,
/// MinIO, GCS interoperability...). Path-style (`host/bucket/key`) or virtual-hosted
/// (`bucket.host/key`) addressing.
public struct S3Endpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String  // with `:port` when one was given
    public var region: String
    public var pathStyle: Bool

    /// AWS's own endpoint for `region`, virtual-hosted (what AWS recommends), or `url` with
    /// path-style addressing by default (what MinIO and most test servers need).
    public init(url: String?, region: String, pathStyle: Bool? = nil) throws(S3EndpointError) {
        self.region = region
        guard let url else {
            scheme = "https"
            host = "s3.\(region).amazonaws.com"
            self.pathStyle = pathStyle ?? false
            return
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil, components.query == nil,
              components.path.isEmpty || components.path == "/" else {
            throw S3EndpointError(url: url)
        }
        self.scheme = scheme
        self.host = host + (components.port.map { ":\($0)" } ?? "")
        self.pathStyle = pathStyle ?? true
    }

    /// The URL's base and encoded path for an object (or the bucket, for `key` nil), and the
    /// `Host` header that is signed.
    func target(bucket: String, key: String?) -> (base: String, host: String, path: String) {
        let encodedKey = key.map { SigV4.encode($0, keepSlash: true) } ?? ""
        // A bucket name with dots (`mainnet.xtz-shots.io`, as the reference names its website
        // buckets) breaks virtual-hosted TLS: the host's wildcard certificate covers one label.
        if pathStyle || (scheme == "https" && bucket.contains(".")) {
            return ("\(scheme)://\(host)", host, "/\(bucket)/" + encodedKey)
        }
        return ("\(scheme)://\(bucket).\(host)", "\(bucket).\(host)", "/" + encodedKey)
    }
}

public struct S3EndpointError: Error, Sendable {
    public let url: String
}

import ArgumentParser
import Catalog
import Infrastructure
import Foundation
import Storage

/// How the stores are reached, as the aws CLI names it. The website's store may live elsewhere
/// (the reference keeps artifacts on DigitalOcean Spaces and the site on AWS): its `--site-*`
/// flags default to the network stores' ones.
struct StoreFlags: ParsableArguments {
    @Option(help: "An S3-compatible host for the network stores (DigitalOcean Spaces, R2, MinIO...), instead of AWS.")
    var endpointURL: String?
    @Option(help: "A profile of the shared AWS credentials file (default: $AWS_PROFILE).")
    var awsProfile: String?
    @Option(help: "A folder with the files AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as a Kubernetes secret is mounted.")
    var credentialsDir: String?
    @Option(help: "The S3 region (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's, or us-east-1).")
    var region: String?
    @Flag(help: "Path-style addressing (host/bucket/key); the default with --endpoint-url.")
    var pathStyle = false

    @Option(help: "The website store's S3-compatible host (default: --endpoint-url).")
    var siteEndpointURL: String?
    @Option(help: "The website store's credentials profile (default: --aws-profile).")
    var siteAwsProfile: String?
    @Option(help: "The website store's credentials folder (default: --credentials-dir).")
    var siteCredentialsDir: String?
    @Option(help: "The website store's region (default: --region).")
    var siteRegion: String?

    func options(site: Bool, environment: [String: String]) -> StoreOptions {
        StoreOptions(endpointURL: site ? siteEndpointURL ?? endpointURL : endpointURL,
                     awsProfile: site ? siteAwsProfile ?? awsProfile : awsProfile,
                     credentialsFolder: site ? siteCredentialsDir ?? credentialsDir : credentialsDir,
                     region: site ? siteRegion ?? region : region, pathStyle: pathStyle ? true : nil, environment: environment)
    }
}

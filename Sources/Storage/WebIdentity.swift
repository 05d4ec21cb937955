import Catalog
import Infrastructure
import Foundation

/// STS `AssumeRoleWithWebIdentity`: what a pod's service-account token (IRSA) is exchanged for.
/// The request is not signed (the token is the proof); the answer's credentials expire.
enum WebIdentity {
    static func assumeRole(roleARN: String, tokenFile: String, sessionName: String, stsEndpoint: String) throws(Problem) -> AWSCredentials {
        guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              !token.isEmpty else {
            throw Problem(origin: "AWS_WEB_IDENTITY_TOKEN_FILE", reason: "cannot read the token file \(tokenFile)")
        }
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
            .map { "\($0.0)=\(SigV4.encode($0.1))" }.joined(separator: "&")
        let endpoint = PathText.trimmingTrailingSlashes(stsEndpoint)
        let request = HTTPRequest(method: "POST", url: endpoint + "/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                  body: Data(form.utf8), timeoutSeconds: 60)
        let shown = "STS AssumeRoleWithWebIdentity at \(URLSecrets.redacted(endpoint))"
        let client = try HTTPClient()
        let response: HTTPResponse
        do { response = try RetryPolicy.standard.run { () throws(TransportError) in try client.perform(request) } } catch {
            throw Problem(origin: shown, reason: error.reason)
        }
        let xml = S3XML(response.body)
        guard response.status == 200, let key = xml.first("AccessKeyId"), let secret = xml.first("SecretAccessKey") else {
            throw Problem(origin: shown, reason: "HTTP \(response.status) \(xml.first("Code") ?? ""): \(xml.first("Message") ?? "no credentials in the answer")")
        }
        let expiration = xml.first("Expiration").flatMap(HTTPDate.iso8601)
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: xml.first("SessionToken"), expiration: expiration)
    }
}

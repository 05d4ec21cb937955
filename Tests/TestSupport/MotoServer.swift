import Foundation

/// A moto S3 server on a loopback port, with signature checking on and one IAM user whose key may
/// do anything; stopped by `stop()` or when released.
///
/// moto lets the first `INITIAL_NO_AUTH_ACTION_COUNT` requests pass unauthenticated and checks
/// every signature after them. Setting up takes exactly three: create_user, create_access_key and
/// put_user_policy. With two, the policy call is refused (signed with a made-up key it is an unknown
/// key; signed with the new key it is AccessDenied, as the user has no policy yet).
public final class MotoServer {
    public let endpoint: String
    public let port: Int
    public let accessKey: String
    public let secretKey: String
    public let region = "us-east-1"
    private var server: ServerProcess
    let bucketCounter = Counter()

    static let unauthenticatedSetupRequests = 3

    /// Starts the server and creates the user; `environment` adds settings (`S3_UPLOAD_PART_MIN_SIZE`...).
    /// `checksSignatures` false leaves moto's authentication off: its STS answers an unsigned
    /// AssumeRoleWithWebIdentity (as AWS does) only then, failing with 500 otherwise.
    public init(environment: [String: String] = [:], checksSignatures: Bool = true) throws {
        let settings = checksSignatures
            ? environment.merging(["INITIAL_NO_AUTH_ACTION_COUNT": "\(Self.unauthenticatedSetupRequests)"]) { $1 } : environment
        (server, port) = try Self.start(settings)
        endpoint = "http://127.0.0.1:\(port)"
        do {
            (accessKey, secretKey) = try Self.createUser(endpoint, checkRefusals: checksSignatures)
        } catch {
            server.stop()
            throw error
        }
    }

    deinit { server.stop() }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and reaps it; later calls do nothing.
    public func stop() { server.stop() }

    public func makeBucket(_ name: String) throws {
        _ = try inspect(["mkbucket", name])
    }

    /// Runs `s3_inspect.py COMMAND ...` with the user's key and returns its parsed JSON.
    public func inspect(_ arguments: [String]) throws -> Any {
        let run = try runInspect(arguments)
        guard run.status == 0 else {
            throw HarnessError("s3_inspect.py \(arguments.joined(separator: " ")) exited with \(run.status): \(run.stdout)\(run.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8), options: [.fragmentsAllowed])
    }

    /// Runs `s3_inspect.py` as it exits (status 2 and an `{"error": ...}` line for an S3 error),
    /// optionally with another secret key, to see a refusal.
    public func runInspect(_ arguments: [String], secretKey: String? = nil, endpoint: String? = nil) throws -> ProgramRun {
        let script = harnessScript("s3_inspect.py")
        return try runTool(["python3", script, "--endpoint", endpoint ?? self.endpoint, "--access-key", accessKey,
                            "--secret-key", secretKey ?? self.secretKey, "--region", region] + arguments)
    }

    /// Starts moto on a free port; a port taken in between picking and binding gets another try.
    private static func start(_ environment: [String: String]) throws -> (ServerProcess, Int) {
        var failure = ""
        for _ in 1...3 {
            let port = try freeLoopbackPort()
            // moto_server's own entry point, plus a watchdog that ends it if this test process dies
            // without stopping it (its parent then changes).
            let launcher = """
                import os, sys, threading, time
                from moto.server import main
                parent = os.getppid()
                def watch():
                    while os.getppid() == parent:
                        time.sleep(1)
                    os._exit(0)
                threading.Thread(target=watch, daemon=True).start()
                # moto checks a signature against werkzeug's request.url, whose query has %2F
                # decoded to "/": a signed `prefix=mainnet%2F` (AWS's canonical form, what boto3
                # sends too) is refused. Give it the query as sent.
                from urllib.parse import urlsplit, urlunsplit
                import moto.core.responses as responses
                setup = responses.BaseResponse.setup_class
                def setup_class(self, request, full_url, headers, *args, **kwargs):
                    raw = getattr(request, "environ", {}).get("QUERY_STRING")
                    if raw:
                        full_url = urlunsplit(urlsplit(full_url)._replace(query=raw))
                    return setup(self, request, full_url, headers, *args, **kwargs)
                responses.BaseResponse.setup_class = setup_class
                main(sys.argv[1:])
                """
            let server = try ServerProcess(["python3", "-c", launcher, "-H", "127.0.0.1", "-p", "\(port)"], environment: environment)
            if server.waitUntilListening(port: port, seconds: 20) { return (server, port) }
            server.stop()
            failure = server.output()
            guard failure.contains("Address already in use") else { break }
        }
        throw HarnessError("moto_server did not start listening within 20 s:\n\(failure)")
    }

    /// The three unauthenticated setup requests, then proof that signatures are checked.
    private static func createUser(_ endpoint: String, checkRefusals: Bool) throws -> (String, String) {
        let setup = """
            import json, sys, boto3
            from botocore.config import Config
            from botocore.exceptions import ClientError
            endpoint = sys.argv[1]
            once = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
            def client(service, key, secret):
                return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", config=once,
                                    aws_access_key_id=key, aws_secret_access_key=secret)
            iam = client("iam", "AKIAUNAUTHENTICATED0", "unauthenticated")
            iam.create_user(UserName="shots")
            key = iam.create_access_key(UserName="shots")["AccessKey"]
            admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            iam.put_user_policy(UserName="shots", PolicyName="admin", PolicyDocument=json.dumps(admin))
            for secret, refusal in ([("wrong-secret", "SignatureDoesNotMatch"), (None, "InvalidAccessKeyId")] if sys.argv[2] == "check" else []):
                s3 = client("s3", key["AccessKeyId"] if secret else "AKIAUNKNOWNKEY000000", secret or "x")
                try:
                    s3.list_buckets()
                    sys.exit(f"moto accepted a request signed with {'a wrong secret' if secret else 'an unknown key'}")
                except ClientError as error:
                    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
                    if status != 403 or error.response["Error"]["Code"] != refusal:
                        sys.exit(f"expected 403 {refusal}, got {status} {error.response['Error']['Code']}")
            client("s3", key["AccessKeyId"], key["SecretAccessKey"]).list_buckets()
            print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
            """
        let run = try runTool(["python3", "-c", setup, endpoint, checkRefusals ? "check" : "no-check"])
        guard run.status == 0,
              let key = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String],
              key.count == 2
        else { throw HarnessError("creating moto's IAM user failed (status \(run.status)):\n\(run.stdout)\(run.stderr)") }
        return (key[0], key[1])
    }
}

/// A harness failure, with what the tool printed.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A script beside the storage tests, found from this file so tests run from any directory.
func harnessScript(_ name: String) -> String {
    PackageRoot.file("Tests/StorageTests/" + name)
}

/// One moto per test suite: started when its first test asks, stopped by the suite's class
/// `tearDown` (or, at the latest, when the test process ends: moto's watchdog sees its parent go).
/// Each test takes buckets of its own in it (`freshBucket`), so the suite's tests never meet.
public enum SuiteMoto {
    nonisolated(unsafe) private static var servers: [String: MotoServer] = [:]
    private static let lock = NSLock()

    public static func server(for suite: Any.Type) throws -> MotoServer {
        try lock.withLock {
            let name = String(reflecting: suite)
            if let server = servers[name] { return server }
            let server = try MotoServer()
            servers[name] = server
            return server
        }
    }

    public static func stop(_ suite: Any.Type) {
        lock.withLock { servers.removeValue(forKey: String(reflecting: suite)) }?.stop()
    }
}

extension MotoServer {
    /// A new, empty bucket named `base-N`, N counting up in this server.
    public func freshBucket(_ base: String) throws -> String {
        let name = "\(base)-\(bucketCounter.next())"
        try makeBucket(name)
        return name
    }
}

/// Counts up, from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}

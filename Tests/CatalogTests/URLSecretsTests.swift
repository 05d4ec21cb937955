import Catalog
import Infrastructure
import Testing

@Suite("URL secrets")
struct URLSecretsTests {
    @Test("a message never shows a userinfo or a credential, however the URL is spelt", arguments: [
        ("http://admin:pass@127.0.0.1:1/", "http://REDACTED@127.0.0.1:1/"),
        ("http://admin:pass@[::1", "http://REDACTED@[::1"),
        ("HTTPS://admin:p%40ss@node.example:8732/chains", "HTTPS://REDACTED@node.example:8732/chains"),
        ("http://admin:pa/ss@node:8732/version", "http://REDACTED@node:8732/version"),
        ("http://admin:pa?ss@node", "http://REDACTED@node"),
        ("http://admin:pa#ss@node/x", "http://REDACTED@node/x"),
        ("http://us@er:pa@ss@node/x", "http://REDACTED@node/x"),
        ("admin:pass@127.0.0.1:8732", "REDACTED@127.0.0.1:8732"),
        ("//admin:pass@node/x", "//REDACTED@node/x"),
        ("https://node/x?a=1&token=abc123&b=2", "https://node/x?a=1&token=REDACTED&b=2"),
        ("https://b.s3.amazonaws.com/k?X-Amz-Signature=f00d&X-Amz-Date=1", "https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&X-Amz-Date=REDACTED"),
        ("https://b/k?%58-Amz-Credential=AKIA%2F1", "https://b/k?%58-Amz-Credential=REDACTED"),
        ("https://node/cb#access_token=abc&x=1", "https://node/cb#access_token=REDACTED&x=1"),
        ("https://node/#/route?api_key=abc", "https://node/#/route?api_key=REDACTED"),
        ("https://tzkt.io/{}?rpc=https://admin:pw@node", "https://tzkt.io/{}?rpc=https://REDACTED@node"),
        ("https://tzkt.io/{}?rpc=https%3A%2F%2Fadmin%3Apw%40node", "https://tzkt.io/{}?rpc=REDACTED"),
    ])
    func redacted(url: String, expected: String) {
        let shown = URLSecrets.redacted(url)
        #expect(shown == expected)
        for secret in ["pass", "pa/ss", "abc", "f00d", "AKIA", "pw", "p%40ss"] { #expect(!shown.contains(secret)) }
        #expect(URLSecrets.redacted(shown) == shown)
    }

    @Test("ordinary links are kept as they are", arguments: [
        "https://tzkt.io/{}?rpc=https://x", "https://xtz-shots.io/mainnet/", "http://127.0.0.1:8732",
        "https://[::1]:8732/version", "https://polkadot.subscan.io/block/{}?tab=events&page=2", "https://host/@user/page",
        "https://host:8732/x?email=a@b", "/relative/path?x=1",
    ])
    func kept(url: String) {
        #expect(URLSecrets.redacted(url) == url)
        #expect(URLSecrets.secretPart(of: url) == nil)
    }

    @Test("an address without a scheme is read as libcurl reads it: user@host hides the user, and is not a secret to publish")
    func schemeless() {
        #expect(URLSecrets.redacted("mailto:ops@example.com") == "REDACTED@example.com")
        #expect(URLSecrets.secretPart(of: "mailto:ops@example.com") == nil)
        #expect(URLSecrets.redactingURLs(in: "write to ops@example.com") == "write to ops@example.com")
    }

    @Test("what may not be published is named, never shown")
    func secretPart() {
        #expect(URLSecrets.secretPart(of: "https://admin:pass@host/a.lz4") == "credentials (user:password@host)")
        #expect(URLSecrets.secretPart(of: "http://admin:pass@[::1") == "credentials (user:password@host)")
        #expect(URLSecrets.secretPart(of: "https://host/a.lz4?token=abc") == "a credential in its query (\"token\"=...)")
        #expect(URLSecrets.secretPart(of: "https://b/k?X-Amz-Signature=f00d")?.contains("X-Amz-Signature") == true)
        #expect(URLSecrets.secretPart(of: "https://b/k?%58-Amz-Credential=AKIA")?.contains("f00d") == false)
        #expect(URLSecrets.secretPart(of: "https://b/k?%58-Amz-Credential=AKIA") != nil)
        #expect(URLSecrets.secretPart(of: "https://tzkt.io/{}?rpc=https://admin:pw@node") != nil)
        #expect(URLSecrets.secretPart(of: "https://tzkt.io/{}?rpc=https://x") == nil)
    }

    @Test("a library's message about a URL loses that URL's secrets, decoded or apart, and any quoted URL's")
    func message() {
        let url = "http://admin:p%40ss@127.0.0.1:1/x?token=t0k3n"
        let text = "Failed for admin with p@ss at http://admin:p%40ss@127.0.0.1:1/x?token=t0k3n; redirect to 'https://u:v@w/'"
        let shown = URLSecrets.redacted(text, about: url)
        for secret in ["admin", "p@ss", "p%40ss", "t0k3n", "u:v"] { #expect(!shown.contains(secret), "\(shown)") }
        #expect(shown.contains("127.0.0.1:1"))
        #expect(shown.contains("https://REDACTED@w/"))
        #expect(URLSecrets.redacted("Couldn't connect to server", about: "http://127.0.0.1:1/") == "Couldn't connect to server")
    }

    @Test("URLs nested in parameter values without end cost neither stack nor quadratic time, and are masked")
    func nestedURLBomb() {
        let bomb = String(repeating: "a://h/?b=", count: 150_000)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(URLSecrets.secretPart(inText: bomb) != nil)
        #expect(!URLSecrets.redactingURLs(in: bomb).contains("a://h/?b=a://h/?b=a://h/?b=a://"))
        // Linear work takes about a second here; quadratic work on 1.35 M characters would take hours.
        // The bound is loose so a loaded CI machine cannot fail it, and still catches that.
        #expect(clock.now - started < .seconds(30))
    }
}

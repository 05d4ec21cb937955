import Catalog
import Infrastructure
import Foundation
import TestSupport
import XCTest

/// `shots serve` on what `shots publish --preview` wrote into folder stores, driven by curl as a
/// user's client: every link, permalinks, ranges, health, and hostile requests.
final class ServeCommandTests: XCTestCase {
    private static let name = "tezos-mainnet-rolling-tarball-5000000.lz4"

    /// A data dir published for the preview at a free port, and `shots serve` on that port.
    func served(_ folder: TemporaryFolder, _ extra: [String] = [], site: String = FolderStores.site) throws -> (ListeningProcess, String) {
        let data = try TezosDataDir(in: folder)
        try folder.write("block/BLOCK_HEIGHT", "5000000")
        try folder.write("block/BLOCK_HASH", TezosDataDir.blockHash)
        try folder.write("block/BLOCK_TIMESTAMP", "2024-06-20T10:00:00Z")
        XCTAssertEqual(try Shots.run(["keygen", "-q", "-o", folder.subpath("keys")]).status, 0)
        let port = try freeLoopbackPort()
        let stores = folder.subpath("stores")
        let run = try FolderStores(root: stores).publish(data.root, [
            "--profile", "tezos-rolling", "--network", "mainnet", "--block-info-dir", folder.subpath("block"),
            "--node-version", folder.subpath("version.json"), "--preview", "http://127.0.0.1:\(port)", "--signing-key", folder.subpath("keys/shots.key"),
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let server = try ListeningProcess([Shots.binary.path, "serve", "--site", site, "--site-store", stores + "/site",
                                           "--store", stores + "/{network}", "--port", String(port)] + extra, port: port)
        return (server, stores)
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    /// One request with curl; `--path-as-is` so that a hostile path reaches the server as written.
    func curl(_ url: String, _ options: [String] = []) throws -> Answer {
        let folder = try TemporaryFolder()
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"),
                                 ["-s", "--path-as-is", "-D", folder.subpath("headers"), "-o", folder.subpath("body"), "-w", "%{http_code}"] + options + [url])
        var headers: [String: String] = [:]
        let head = (try? String(contentsOfFile: folder.subpath("headers"), encoding: .utf8)) ?? ""
        for line in head.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: Int(run.stdout) ?? 0, headers: headers, body: (try? Data(contentsOf: URL(fileURLWithPath: folder.subpath("body")))) ?? Data())
    }

    /// The home page, a network page, and every link on them that leads to the preview; each
    /// answers 200 (following redirects); a permalink downloads the artifact, whose sha256 and
    /// signed catalog verify with the real tools.
    func testEveryLinkOfThePreviewWorks() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        var links = Set<String>()
        for page in ["/", "/mainnet/"] {
            let answer = try curl(server.origin + page)
            XCTAssertEqual(answer.status, 200, page)
            let html = String(decoding: answer.body, as: UTF8.self)
            let pattern = try NSRegularExpression(pattern: ##"(?:href|src)="([^"#]+)""##)
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                guard let range = Range(match.range(at: 1), in: html) else { continue }
                let link = String(html[range]).replacingOccurrences(of: "&amp;", with: "&")
                if link.hasPrefix(server.origin) { links.insert(link) } else if link.hasPrefix("/") { links.insert(server.origin + link) }
                else if !link.contains("://") { links.insert(server.origin + page + link) }
            }
        }
        XCTAssertTrue(links.contains("\(server.origin)/store/mainnet/\(Self.name)"), "the network page links the artifact: \(links.sorted())")
        XCTAssertGreaterThan(links.count, 8)
        for link in links.sorted() {
            XCTAssertEqual(try curl(link, ["-L", "-r", "0-0"]).status / 100, 2, link)
        }
        // The permalink, followed by a client: 301 to the artifact, bytes that verify.
        let permalink = try curl(server.origin + "/store/mainnet/rolling-tarball")
        XCTAssertEqual(permalink.status, 301)
        XCTAssertEqual(permalink.headers["location"], "/store/mainnet/" + Self.name)
        let site = try curl(server.origin + "/mainnet/rolling-tarball")
        XCTAssertEqual(site.status, 302)
        XCTAssertEqual(site.headers["location"], "\(server.origin)/store/mainnet/\(Self.name)")
        let download = try curl(server.origin + "/mainnet/rolling-tarball", ["-L"])
        XCTAssertEqual(download.body, try Data(contentsOf: URL(fileURLWithPath: "\(stores)/mainnet/\(Self.name)")))
        try download.body.write(to: URL(fileURLWithPath: folder.subpath(Self.name)))
        try curl(server.origin + "/store/mainnet/\(Self.name).sha256").body.write(to: URL(fileURLWithPath: folder.subpath(Self.name + ".sha256")))
        let check = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \(folder.path) && sha256sum -c \(Self.name).sha256"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        // The catalog as published, byte for byte, with its signature.
        let catalog = try curl(server.origin + "/tezos-snapshots.json")
        XCTAssertEqual(catalog.body, try Data(contentsOf: URL(fileURLWithPath: stores + "/site/tezos-snapshots.json")))
        try catalog.body.write(to: URL(fileURLWithPath: folder.subpath("tezos-snapshots.json")))
        try curl(server.origin + "/tezos-snapshots.json.minisig").body.write(to: URL(fileURLWithPath: folder.subpath("tezos-snapshots.json.minisig")))
        let verify = try runProgram(URL(fileURLWithPath: "/usr/bin/minisign"), ["-Vm", folder.subpath("tezos-snapshots.json"), "-p", folder.subpath("keys/shots.pub"), "-q"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(try curl(server.origin + "/mainnet/").body, try Data(contentsOf: URL(fileURLWithPath: stores + "/site/mainnet/index.html")),
                       "a page as published, byte for byte")
        // The bucket's root is its index.html: a redirect to the site's network page.
        XCTAssertEqual(try curl(server.origin + "/store/mainnet/").headers["location"], "\(server.origin)/mainnet/")
        XCTAssertTrue(server.output.contains("GET /store/mainnet/rolling-tarball 301"), "each request is logged: \(server.output)")
    }

    /// Headless Chromium, driven through its DevTools protocol, clicks from the home page to the
    /// network page and starts the download and the permalink; any 4xx/5xx or console error fails.
    func testABrowserWalksFromHomeToAPermalink() throws {
        let folder = try TemporaryFolder()
        let (server, _) = try served(folder)
        let walk = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", Shots.packageRoot.path + "/Tests/ShotsTests/browser_walk.py", server.origin, "mainnet"])
        XCTAssertEqual(walk.status, 0, walk.stdout + walk.stderr)
        XCTAssertTrue(walk.stdout.contains("clicked through to \(server.origin)/mainnet/"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("download \(server.origin)/store/mainnet/rolling-tarball: 206 from \(server.origin)/store/mainnet/\(Self.name)"), walk.stdout)
    }

    /// --watch: an edit of site.yml rebuilds the pages and open pages learn of it; a broken
    /// template shows its error on the page's state while the last good site stays served.
    func testWatchRebuildsOnEditsAndKeepsTheLastGoodSite() throws {
        let folder = try TemporaryFolder()
        let site = folder.subpath("site")
        try FileManager.default.copyItem(atPath: FolderStores.site, toPath: site)
        let (server, _) = try served(folder, ["--watch"], site: site)
        func live() throws -> JSONValue { try JSONParser.parse(try curl(server.origin + "/_shots/live").body) }
        func waitFor(_ what: String, _ ready: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline { if try ready() { return }; usleep(200_000) }
            XCTFail("waited 30 s for \(what): \(server.output)")
        }
        try waitFor("the first rebuild") { try live()["version"] == .integer(1) }
        XCTAssertTrue(String(decoding: try curl(server.origin + "/mainnet/").body, as: UTF8.self).contains("/* shots serve --watch */"))

        let config = site + "/site.yml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "tagline: ", with: "tagline: Edited while serving. ").write(toFile: config, atomically: true, encoding: .utf8)
        try waitFor("the rebuild after the edit") { try live()["version"] == .integer(2) }
        XCTAssertTrue(String(decoding: try curl(server.origin + "/").body, as: UTF8.self).contains("Edited while serving."))

        try folder.write("site/templates/partials/footer.html", "{{#unclosed}}\n")
        try waitFor("the error of the broken template") { if case .string = try live()["error"] { true } else { false } }
        guard case .string(let error)? = try live()["error"] else { return }
        XCTAssertTrue(error.contains("footer.html"), error)
        XCTAssertFalse(error.contains("\n"))
        let page = try curl(server.origin + "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains("Edited while serving."), "the last good site stays served")
        XCTAssertTrue(server.output.contains("the site does not build"), server.output)

        try FileManager.default.removeItem(atPath: site + "/templates/partials/footer.html")
        try waitFor("the site to build again") { try live()["error"] == .null }
    }

    func testHeadRangesAndMethodsAnswerAsAHostDoes() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        let url = "\(server.origin)/store/mainnet/\(Self.name)"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(stores)/mainnet/\(Self.name)"))
        let head = try curl(url, ["-I"])
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], String(bytes.count))
        XCTAssertEqual(head.headers["accept-ranges"], "bytes")
        XCTAssertEqual(head.headers["content-type"], "application/x-lz4")
        // curl -I writes what it received to its output: the headers, and no byte of the artifact.
        XCTAssertTrue(String(decoding: head.body, as: UTF8.self).hasPrefix("HTTP/1.1 200") && head.body.count < 1000)
        let part = try curl(url, ["-r", "100-199"])
        XCTAssertEqual(part.status, 206)
        XCTAssertEqual(part.headers["content-range"], "bytes 100-199/\(bytes.count)")
        XCTAssertEqual(part.body, bytes[100..<200])
        let tail = try curl(url, ["-H", "Range: bytes=-10"])
        XCTAssertEqual(tail.body, bytes.suffix(10))
        for bad in ["bytes=\(bytes.count)-", "bytes=abc", "lines=1-2", "bytes=5-1"] {
            let answer = try curl(url, ["-H", "Range: \(bad)"])
            XCTAssertEqual(answer.status, 416, bad)
            XCTAssertEqual(answer.headers["content-range"], "bytes */\(bytes.count)", bad)
        }
        // A download resumed where it stopped gives the whole artifact.
        try bytes.prefix(1000).write(to: URL(fileURLWithPath: folder.subpath("partial")))
        let resume = try runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-C", "-", "-o", folder.subpath("partial"), url])
        XCTAssertEqual(resume.status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.subpath("partial"))), bytes)
        let etag = try XCTUnwrap(head.headers["etag"])
        XCTAssertEqual(try curl(url, ["-H", "If-None-Match: \(etag)"]).status, 304)
        for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
            let answer = try curl(url, ["-X", method])
            XCTAssertEqual(answer.status, 405, method)
            XCTAssertEqual(answer.headers["allow"], "GET, HEAD")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(stores)/mainnet/\(Self.name)"), "nothing deleted")
        let missing = try curl(server.origin + "/no/such/page")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.body, try Data(contentsOf: URL(fileURLWithPath: stores + "/site/404.html")), "the site's own 404 page")
        XCTAssertEqual(try curl(server.origin + "/mainnet").status, 302, "a folder without its slash, as S3 website hosting answers")
    }

    /// Requests an attacker sends: none is answered from outside the served folders, none is a
    /// 2xx, and a client that sends half a request does not hold up the others.
    func testHostileRequestsStayInsideTheServedFolders() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        try folder.write("secret.txt", "TOP-SECRET-CONTENT")
        try FileManager.default.createSymbolicLink(atPath: stores + "/site/leak.txt", withDestinationPath: folder.subpath("secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: stores + "/site/up", withDestinationPath: folder.path)
        let paths = ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/mainnet/..%2f..%2fsecret.txt", "/..%5csecret.txt",
                     "/mainnet\\..\\..\\secret.txt", "/leak.txt", "/up/secret.txt", "/secret.txt%00.html", "/%c0%ae%c0%ae/secret.txt",
                     "/store/mainnet/../../../secret.txt", "/store/mainnet/.shots-store/headers/rolling-tarball.json", "/store/mainnet/.shots-store/lock",
                     "/.shots-store/lock", "//etc/passwd", "/store/../../secret.txt"]
        for path in paths {
            let answer = try curl(server.origin + path)
            XCTAssertEqual(answer.status / 100, 4, path)
            XCTAssertFalse(String(decoding: answer.body, as: UTF8.self).contains("TOP-SECRET"), path)
        }
        XCTAssertEqual(try curl(server.origin + "/" + String(repeating: "a", count: 9000)).status, 414)
        XCTAssertEqual(try curl(server.origin + "/", ["-H", "X-Big: " + String(repeating: "b", count: 100_000)]).status / 100, 4)
        // Half a request held open: another client is still answered at once.
        let socket = try XCTUnwrap(Self.connect(port: server.port))
        defer { close(socket) }
        _ = "GET / HTTP/1.1\r\nHost: x\r\n".withCString { write(socket, $0, strlen($0)) }
        let started = Date()
        XCTAssertEqual(try curl(server.origin + "/").status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertFalse(server.hasExited)
    }

    func testHealthAndStoresThatCannotBeServed() throws {
        let folder = try TemporaryFolder()
        let (server, stores) = try served(folder)
        let health = try curl(server.origin + "/health")
        XCTAssertEqual(health.status, 503, "ghostnet has no artifact (testHealthIsOKOnlyWhenEveryNetworkHasAnArtifact has the 200)")
        let document = try JSONParser.parse(health.body)
        guard case .array(let networks)? = document["networks"] else { return XCTFail("no networks: \(document)") }
        XCTAssertTrue(networks.contains { $0["network"] == .string("mainnet") && $0["newest_block_time"] == .string("2024-06-20T10:00:00Z") }, "\(networks)")
        server.stop()
        let port = try freeLoopbackPort()
        let strict = try ListeningProcess([Shots.binary.path, "serve", "--site", FolderStores.site, "--site-store", stores + "/site",
                                           "--store", stores + "/{network}", "--port", String(port), "--max-age", "1d"], port: port)
        XCTAssertEqual(try curl(strict.origin + "/health").status, 503, "the sample block is older than a day")

        let bucket = try Shots.run(["serve", "--site", FolderStores.site, "--store", "s3://{network}-shots", "--port", "0"])
        XCTAssertEqual(bucket.status, 1)
        XCTAssertEqual(bucket.errorLines.count, 1, bucket.stderr)
        XCTAssertTrue(bucket.stderr.contains("--store: s3://mainnet-shots is a bucket"), bucket.stderr)
        let badAge = try Shots.run(["serve", "--max-age", "soon"])
        XCTAssertEqual(badAge.status, 1)
        XCTAssertTrue(badAge.stderr.contains("--max-age: expected a number and a unit"), badAge.stderr)
    }

    private static func connect(port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        return connected ? socket : nil
    }
}

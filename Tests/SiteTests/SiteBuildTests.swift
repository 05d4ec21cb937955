import Catalog
import Foundation
import Site
import Testing
import TestSupport

@Suite("shots build: the website")
struct SiteBuildTests {
    @Test("the sample site builds; every page is well-formed HTML and every internal link resolves")
    func wellFormedAndLinked() throws {
        let folder = try TemporaryFolder()
        let summary = try buildSite(into: folder.subpath("out"))
        #expect(summary.rejects.isEmpty)
        #expect(summary.pages == 7)
        #expect(summary.redirects == 14)
        let check = try runPython("check_site.py", [folder.subpath("out")])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("checked 19 pages"))

        // The checker is a real check: a broken link and a stray tag are found.
        let page = folder.subpath("out/mainnet/index.html")
        try String(contentsOfFile: page, encoding: .utf8)
            .replacingOccurrences(of: "href=\"/mainnet/list.html\"", with: "href=\"/mainnet/missing.html\"")
            .write(toFile: page, atomically: true, encoding: .utf8)
        let other = folder.subpath("out/ghostnet/index.html")
        try String(contentsOfFile: other, encoding: .utf8).replacingOccurrences(of: "</main>", with: "</div></main>")
            .write(toFile: other, atomically: true, encoding: .utf8)
        let broken = try runPython("check_site.py", [folder.subpath("out")])
        #expect(broken.status == 1)
        #expect(broken.output.contains("broken internal link /mainnet/missing.html"))
        #expect(broken.output.contains("not well-formed HTML"))
    }

    @Test("building twice from the same input gives byte-identical files")
    func deterministic() throws {
        let folder = try TemporaryFolder()
        try buildSite(into: folder.subpath("one"))
        try buildSite(into: folder.subpath("two"))
        let one = contents(of: folder.subpath("one"))
        #expect(one.count == 29)
        #expect(one == contents(of: folder.subpath("two")))
    }

    @Test("a rebuild without changes writes nothing; a new artifact rewrites only what shows it")
    func incremental() throws {
        let folder = try TemporaryFolder()
        let data = folder.subpath("data")
        try FileManager.default.copyItem(atPath: rooted("site/data/tezos"), toPath: data)
        let sources = [data + "/mainnet", data + "/ghostnet"]
        let output = folder.subpath("out")
        try buildSite(sources: sources, into: output)
        let again = try buildSite(sources: sources, into: output)
        #expect(again.written == 0)

        let before = contents(of: output)
        try folder.write(artifact: artifactJSON(network: "mainnet", height: 5_260_000, timestamp: "2024-05-14T00:00:00Z"), in: "data/mainnet")
        let next = try buildSite(sources: sources, into: output)
        let after = contents(of: output)
        let changed = Set(after.keys.filter { before[$0] != after[$0] })
        #expect(next.written == changed.count)
        #expect(changed.contains("mainnet/index.html"))
        #expect(changed.contains("mainnet/rolling-tarball/index.html"))
        #expect(!changed.contains("ghostnet/index.html"))
        #expect(!changed.contains("ghostnet/list.html"))
    }

    @Test("files a previous build wrote and this one does not are removed")
    func staleFilesRemoved() throws {
        let folder = try TemporaryFolder()
        let output = folder.subpath("out")
        try buildSite(into: output)
        #expect(FileManager.default.fileExists(atPath: output + "/ghostnet/rolling/index.html"))
        let summary = try buildSite(sources: [rooted("site/data/tezos/mainnet")], into: output)
        #expect(summary.removed == 6)
        #expect(!FileManager.default.fileExists(atPath: output + "/ghostnet/rolling/index.html"))
        #expect(FileManager.default.fileExists(atPath: output + "/ghostnet/index.html"))  // configured: "none yet"
    }

    @Test("hostile metadata cannot put markup or script on a page: rejected at ingestion or rendered inert")
    func hostileMetadata() throws {
        let folder = try TemporaryFolder()
        let hostile: [(String, JSONValue)] = [
            ("block_hash", .string("<script>alert(1)</script>")), ("chain_name", .string("mainnet\"><script>alert(1)</script>")),
            ("filename", .string("[x](javascript:alert(1))")), ("url", .string("javascript:alert(1)")),
            ("sha256", .string("\" onmouseover=\"alert(1)")), ("block_timestamp", .string("<img src=x onerror=alert(1)>")),
        ]
        for (index, (field, value)) in hostile.enumerated() {
            try folder.write("bucket/hostile-\(index).json", TemporaryFolder.textOf(artifactJSON(height: Int64(index)), [field: value]))
        }
        // A valid artifact whose unknown field carries script: kept in the data, never rendered.
        try folder.write(artifact: artifactJSON(height: 99).merging(["note": .string("<script>alert(1)</script>")]))
        let site = try copyOfSite(in: folder)
        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
            .replacingOccurrences(of: "description: The Tezos main network.", with: "description: <script>alert(1)</script> [click](javascript:alert(1)) \"quoted\"")
        try config.write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)

        let summary = try buildSite(site: site, sources: [folder.subpath("bucket")], into: folder.subpath("out"))
        #expect(summary.rejects.count == hostile.count)
        #expect(summary.artifacts == 1)
        for (path, data) in contents(of: folder.subpath("out")) where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script>alert"), "\(path)")
            #expect(!text.contains("href=\"javascript:"), "\(path)")
            #expect(!text.contains("onerror="), "\(path)")
        }
        let mainnet = try String(contentsOfFile: folder.subpath("out/mainnet/index.html"), encoding: .utf8)
        #expect(mainnet.contains("&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1)) &quot;quoted&quot;"))
        #expect(!mainnet.contains(">click</a>"))
        #expect(try runPython("check_site.py", [folder.subpath("out")]).status == 0)
    }

    @Test("a file under site/templates/ overrides the theme's file of the same name")
    func themeOverride() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        try FileManager.default.createDirectory(atPath: site + "/templates/partials", withIntermediateDirectories: true)
        try "<footer class=\"site-footer\"><p>Operated by the override team</p></footer>\n"
            .write(toFile: site + "/templates/partials/footer.html", atomically: true, encoding: .utf8)
        try buildSite(site: site, into: folder.subpath("out"))
        let home = try String(contentsOfFile: folder.subpath("out/index.html"), encoding: .utf8)
        #expect(home.contains("Operated by the override team"))
        #expect(!home.contains("Every artifact comes with a SHA-256 checksum"))
    }

    @Test("a site.yml mistake names the file and the field")
    func configurationErrors() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
        try config.replacingOccurrences(of: "base_url: https://xtz-shots.io\n", with: "")
            .write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        #expect {
            try buildSite(site: site, into: folder.subpath("out"))
        } throws: { error in
            (error as? Problem) == Problem(origin: site + "/site.yml", reason: "base_url: is missing")
        }
    }

    @Test("tezos-snapshots.json at the root validates against the schema published beside it")
    func snapshotsDocument() throws {
        let folder = try TemporaryFolder()
        try buildSite(into: folder.subpath("out"), environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let document = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("out/tezos-snapshots.json"))))
        #expect(document["$schema"] == .string("https://xtz-shots.io/tezos-snapshots.schema.json"))
        #expect(document["date_generated"] == .string("2023-11-14T22:13:20Z"))
        #expect(FileManager.default.fileExists(atPath: folder.subpath("out/tezos-snapshots.schema.json")))
    }
}

@Suite("the sample site in a real browser")
struct BrowserTests {
    @Test("headless Chromium loads the home, a network and a list page with no console errors; screenshots saved")
    func chromium() throws {
        let output = rooted("_build/site-under-test")
        try? FileManager.default.removeItem(atPath: output)
        try buildSite(into: output)
        let screenshots = rooted("_build/screenshots")
        let run = try runPython("browser_check.py", [output, screenshots, "/", "/mainnet/", "/ghostnet/list.html", "/404.html"])
        #expect(run.status == 0, "\(run.output)")
        for name in ["home", "mainnet", "ghostnet-list.html", "404.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"))
        }
    }
}

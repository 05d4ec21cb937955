import Catalog
import Infrastructure
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
        #expect(summary.redirects.count == 14)
        let check = try runPython("check_site.py", [folder.subpath("out"), "https://xtz-shots.io"])
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
        #expect(one.count == 30)
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

    @Test("a rebuild that reuses the previous build gives exactly what a build from scratch gives")
    func incrementalMatchesFull() throws {
        let folder = try TemporaryFolder()
        let bucket = folder.subpath("bucket")
        for network in ["mainnet", "ghostnet", "rionet"] {
            for height in Int64(1)...30 { try folder.write(artifact: artifactJSON(network: network, height: height * 10)) }
        }
        let output = folder.subpath("incremental")
        try buildSite(sources: [bucket], into: output)
        // A new artifact, a changed one, a removed one, a new invalid file, each in its own network.
        try folder.write(artifact: artifactJSON(network: "mainnet", height: 999, timestamp: "2024-06-01T00:00:00Z"))
        try folder.write(artifact: artifactJSON(network: "ghostnet", height: 50).merging(["filesize_bytes": .integer(1 << 40), "filesize": .string("1T")]))
        try FileManager.default.removeItem(atPath: folder.subpath("bucket/tezos-rionet-rolling-tarball-300.lz4.json"))
        try folder.write("bucket/broken.json", "{")
        let rebuilt = try buildSite(sources: [bucket], into: output)
        #expect(rebuilt.rejects.map(\.origin) == [folder.subpath("bucket/broken.json")])
        #expect(rebuilt.artifacts == 90)
        try buildSite(sources: [bucket], into: folder.subpath("scratch"))
        #expect(contents(of: output) == contents(of: folder.subpath("scratch")))
        // Nothing changed: nothing written, and the invalid file is still reported.
        let again = try buildSite(sources: [bucket], into: output)
        #expect(again.written == 0)
        #expect(again.rejects.count == 1)

        // A network that appears, then disappears again; a duplicate of an artifact in a second file.
        try folder.write(artifact: artifactJSON(network: "seoulnet", height: 5))
        try buildSite(sources: [bucket], into: output)
        try FileManager.default.removeItem(atPath: folder.subpath("bucket/tezos-seoulnet-rolling-tarball-5.lz4.json"))
        try folder.write("bucket/copy-of-mainnet-10.json", TemporaryFolder.textOf(artifactJSON(network: "mainnet", height: 10)))
        try buildSite(sources: [bucket], into: output)
        try FileManager.default.removeItem(atPath: folder.subpath("bucket/copy-of-mainnet-10.json"))
        try buildSite(sources: [bucket], into: output)
        try buildSite(sources: [bucket], into: folder.subpath("scratch2"))
        #expect(contents(of: output) == contents(of: folder.subpath("scratch2")))
        #expect(try runPython("check_site.py", [output]).status == 0)

        // A damaged cache is noticed and the build starts over: the catalog stays right.
        try Data("{\"not\": \"a chunk\"}".utf8).write(to: URL(fileURLWithPath: output + "/.shots-cache/rionet.chunk"))
        try folder.write(artifact: artifactJSON(network: "mainnet", height: 1000, timestamp: "2024-06-02T00:00:00Z"))
        try buildSite(sources: [bucket], into: output)
        try buildSite(sources: [bucket], into: folder.subpath("scratch"))
        #expect(contents(of: output) == contents(of: folder.subpath("scratch")))
    }

    @Test("zstd tarballs: their own section and permalink, never in tezos-snapshots.json, kept by an incremental rebuild")
    func zstdTarballs() throws {
        let folder = try TemporaryFolder()
        func zstd(_ height: Int64) -> JSONObject {
            var json = artifactJSON(network: "mainnet", height: height)
            let filename = "tezos-mainnet-rolling-tarball-\(height).zst"
            json["filename"] = .string(filename)
            json["url"] = .string("https://mainnet.xtz-shots.io/\(filename)")
            json["compression"] = .string("zstd")
            return json
        }
        try folder.write(artifact: artifactJSON(network: "mainnet", height: 10))
        try folder.write(artifact: zstd(10))
        try folder.write(artifact: artifactJSON(network: "ghostnet", height: 10))
        let output = folder.subpath("out")
        try buildSite(sources: [folder.subpath("bucket")], into: output)
        // A change in the network that has a zstd tarball: the rebuild reuses what it can.
        try folder.write(artifact: artifactJSON(network: "mainnet", height: 20, timestamp: "2024-06-01T00:00:00Z"))
        let rebuilt = try buildSite(sources: [folder.subpath("bucket")], into: output)
        #expect(rebuilt.artifacts == 4)
        try buildSite(sources: [folder.subpath("bucket")], into: folder.subpath("scratch"))
        #expect(contents(of: output) == contents(of: folder.subpath("scratch")))

        let catalog = try String(contentsOfFile: output + "/tezos-snapshots.json", encoding: .utf8)
        #expect(catalog.contains("tezos-mainnet-rolling-tarball-20.lz4") && !catalog.contains(".zst"))
        let page = try String(contentsOfFile: output + "/mainnet/index.html", encoding: .utf8)
        #expect(page.contains("<h2>Rolling tarball (zstd)</h2>"))
        #expect(page.contains("https://mainnet.xtz-shots.io/rolling-tarball-zstd | zstd -d | tar -x"))
        let redirects = try String(contentsOfFile: output + "/_redirects", encoding: .utf8)
        #expect(redirects.contains("/mainnet/rolling-tarball-zstd https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-10.zst 302"))
        #expect(redirects.contains("/mainnet/rolling-tarball https://mainnet.xtz-shots.io/tezos-mainnet-rolling-tarball-20.lz4 302"))
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
            .replacingOccurrences(of: "description: The Tezos main network. Snapshots of a node in rolling and archive history modes.", with: "description: '# [click](javascript:alert(1)) \"quoted\" *bold*'")
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
        // Shown as the text it is: a paragraph, not a heading, a link or emphasis.
        #expect(mainnet.contains("<p># [click](javascript:alert(1)) &quot;quoted&quot; *bold*</p>"))
        #expect(!mainnet.contains(">click</a>") && !mainnet.contains("<h1>[click") && !mainnet.contains("<em>bold"))
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

    @Test("outputs cannot leave the folder or replace each other; site.yml links must be http(s)")
    func unsafeOutputs() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        try "---\ntitle: x\npermalink: /../../escaped/\n---\nhello\n".write(toFile: site + "/pages/escape.md", atomically: true, encoding: .utf8)
        #expect { try buildSite(site: site, into: folder.subpath("deep/out")) } throws: { error in
            (error as? Problem)?.reason.hasPrefix("front matter permalink: expected a path") == true
        }
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("escaped")))
        try FileManager.default.removeItem(atPath: site + "/pages/escape.md")

        // A network named like a page cannot take the page's place.
        try folder.write(artifact: artifactJSON(network: "getting-started", height: 1))
        #expect { try buildSite(site: site, sources: [folder.subpath("bucket")], into: folder.subpath("out")) } throws: { error in
            (error as? Problem)?.reason.hasPrefix("two outputs of this build claim this path") == true
        }

        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
        try config.replacingOccurrences(of: "block_url: https://tzkt.io/{block_hash}", with: "block_url: javascript:alert(1)//{block_hash}")
            .write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        #expect { try buildSite(site: site, into: folder.subpath("out2")) } throws: { error in
            (error as? Problem)?.reason == "networks.explorers.block_url: expected an http(s) URL, found \"javascript:alert(1)//{block_hash}\""
        }
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
            (error as? Problem) == Problem(origin: site + "/site.yml", reason: "base_url: is missing").inStep("Read site configuration")
        }
    }

    @Test("tezos-snapshots.json at the root names the schema published beside it and is dated by SOURCE_DATE_EPOCH")
    func snapshotsDocument() throws {
        let folder = try TemporaryFolder()
        try buildSite(into: folder.subpath("out"), environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let document = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: folder.subpath("out/tezos-snapshots.json"))))
        #expect(document["$schema"] == .string("https://xtz-shots.io/tezos-snapshots.schema.json"))
        #expect(document["date_generated"] == .string("2023-11-14T22:13:20Z"))
        #expect(FileManager.default.fileExists(atPath: folder.subpath("out/tezos-snapshots.schema.json")))
    }

    @Test("site.yml's signing key is published as shots.pub, in minisign's own format, which minisign verifies with")
    func publicKeyFile() throws {
        let folder = try TemporaryFolder()
        try buildSite(into: folder.subpath("sample"))
        let sample = try String(contentsOfFile: folder.subpath("sample/shots.pub"), encoding: .utf8)
        #expect(sample == "untrusted comment: minisign public key FBBE4308C7F87345\nRWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY\n")

        // A key pair minisign made: the site's shots.pub is its public key file, byte for byte,
        // and verifies what the secret key signs.
        let (pub, sec, signed) = (folder.subpath("pub"), folder.subpath("sec"), try folder.write("signed.txt", "tezos-snapshots.json\n"))
        let generated = try runTool(["minisign", "-G", "-W", "-p", pub, "-s", sec])
        #expect(generated.status == 0, "\(generated.stderr)")
        let minisignFile = try String(contentsOfFile: pub, encoding: .utf8)
        let key = try #require(minisignFile.split(separator: "\n").last.map(String.init))
        let site = try copyOfSite(in: folder)
        let config = try String(contentsOfFile: site + "/site.yml", encoding: .utf8)
        try config.replacingOccurrences(of: "RWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY", with: key)
            .write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        let output = folder.subpath("out")
        try buildSite(site: site, into: output)
        #expect(try String(contentsOfFile: output + "/shots.pub", encoding: .utf8) == minisignFile)
        let signing = try runTool(["minisign", "-S", "-s", sec, "-m", signed])
        #expect(signing.status == 0, "\(signing.stderr)")
        let verified = try runTool(["minisign", "-V", "-p", output + "/shots.pub", "-m", signed])
        #expect(verified.status == 0, "\(verified.stderr)")
        try "tampered\n".write(toFile: signed, atomically: true, encoding: .utf8)
        #expect(try runTool(["minisign", "-V", "-p", output + "/shots.pub", "-m", signed]).status != 0)

        // A key that is not a minisign Ed25519 key stops the build; no key, no shots.pub (the
        // previous build's goes).
        try config.replacingOccurrences(of: "RWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY", with: String(repeating: "A", count: 56))
            .write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        #expect { try buildSite(site: site, into: output) } throws: { error in
            (error as? Problem)?.reason.hasPrefix("signing_public_key: not a minisign Ed25519 public key") == true
        }
        #expect(FileManager.default.fileExists(atPath: output + "/shots.pub"))
        try config.replacingOccurrences(of: "signing_public_key: RWRFc/jHCEO++77fziamWZXPbHvj6/Eqm3Y8wMYfxoMD5cinCGuNhipY\n", with: "")
            .write(toFile: site + "/site.yml", atomically: true, encoding: .utf8)
        let keyless = try buildSite(site: site, into: output)
        #expect(keyless.removed == 1)
        #expect(!FileManager.default.fileExists(atPath: output + "/shots.pub"))
    }
}

@Suite("the polkashots site")
struct PolkashotsTests {
    @Test("the sample polkashots site builds: a page per chain and database, permalinks to the newest, valid HTML")
    func builds() throws {
        let folder = try TemporaryFolder()
        let summary = try buildSite(site: rooted("site/polkashots"), into: folder.subpath("out"))
        #expect(summary.rejects.isEmpty)
        #expect(summary.artifacts == 6)
        for page in ["polkadot/rocksdb/index.html", "polkadot/paritydb/index.html", "kusama/rocksdb/index.html", "index.html", "404.html"] {
            #expect(FileManager.default.fileExists(atPath: folder.subpath("out/\(page)")), "\(page)")
        }
        let redirects = try String(contentsOfFile: folder.subpath("out/_redirects"), encoding: .utf8)
        #expect(redirects.contains("/dot/rocksdb https://polkadot.polkashots.io/polkadot-21000000.rocksdb.tar.lz4 302\n"))
        #expect(redirects.contains("/ksm/rocksdb https://kusama.polkashots.io/kusama-23100000.rocksdb.tar.lz4 302\n"))
        let page = try String(contentsOfFile: folder.subpath("out/polkadot/rocksdb/index.html"), encoding: .utf8)
        for fact in ["RocksDB", "pruned (last 1000 block states)", "LZ4", "1.12.0-f6c4e2a7f9a", "https://polkadot.subscan.io/block/21000000",
                     "tar -x -C ~/.local/share/polkadot/chains/polkadot", "polkadot-21000000.rocksdb.tar.lz4.sha256.minisig"] {
            #expect(page.contains(fact), "\(fact)")
        }
        let check = try runPython("check_site.py", [folder.subpath("out"), "https://polkashots.io"])
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("snapshot metadata is validated: chain, hash, database, pruning and the file name pattern")
    func validation() throws {
        func problem(_ change: JSONObject) -> String? {
            var json: JSONObject = [
                "chain": .string("kusama"), "block_height": .integer(5), "block_hash": .string("0x" + String(repeating: "ab", count: 32)),
                "created": .string("2024-05-21T03:00:47Z"), "database": .string("rocksdb"), "pruning": .string("1000"),
                "compression": .string("lz4"), "node_version": .string("1.11.0-0bb6249268c"), "filename": .string("kusama-5.rocksdb.tar.lz4"),
                "url": .string("https://kusama.polkashots.io/kusama-5.rocksdb.tar.lz4"), "sha256": .string(String(repeating: "0", count: 64)),
                "filesize_bytes": .integer(2048), "filesize": .string("2K"),
            ]
            json = json.merging(change)
            do { _ = try PolkadotArtifact.validated(.object(json)); return nil } catch { return error.description }
        }
        #expect(problem([:]) == nil)
        #expect(problem(["chain": .string("westend")])?.hasPrefix("chain: expected \"kusama\" or \"polkadot\"") == true)
        #expect(problem(["block_hash": .string("0xZZ")])?.hasPrefix("block_hash: expected a block hash (0x and 64") == true)
        #expect(problem(["database": .string("sled")])?.hasPrefix("database: expected \"paritydb\" or \"rocksdb\"") == true)
        #expect(problem(["pruning": .string("-3")])?.hasPrefix("pruning: expected") == true)
        #expect(problem(["filename": .string("kusama-6.rocksdb.tar.lz4")])?.hasPrefix("filename: expected \"kusama-5.rocksdb.tar.lz4\"") == true)
        #expect(problem(["node_version": .string("<b>1.0</b>")])?.hasPrefix("node_version: expected a version") == true)
        // A wrong filesize follows the Tezos rule: corrected, with a warning, not refused.
        #expect(problem(["filesize": .string("3K")]) == nil)
        let corrected = try PolkadotArtifact.validated(.object([
            "chain": .string("kusama"), "block_height": .integer(5), "block_hash": .string("0x" + String(repeating: "ab", count: 32)),
            "created": .string("2024-05-21T03:00:47Z"), "database": .string("rocksdb"), "pruning": .string("1000"),
            "compression": .string("lz4"), "node_version": .string("1.11.0-0bb6249268c"), "filename": .string("kusama-5.rocksdb.tar.lz4"),
            "url": .string("https://kusama.polkashots.io/kusama-5.rocksdb.tar.lz4"), "sha256": .string(String(repeating: "0", count: 64)),
            "filesize_bytes": .integer(2048), "filesize": .string("3K"),
        ]))
        #expect(corrected.filesize == "2K" && corrected.json["filesize"] == .string("2K"))
        #expect(corrected.warnings == [#"filesize "3K" does not match filesize_bytes 2048; using "2K""#])
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

        let polkashots = rooted("_build/polkashots-under-test")
        try? FileManager.default.removeItem(atPath: polkashots)
        try buildSite(site: rooted("site/polkashots"), into: polkashots)
        let second = try runPython("browser_check.py", [polkashots, rooted("_build/screenshots/polkashots"), "/", "/polkadot/rocksdb/"])
        #expect(second.status == 0, "\(second.output)")

        // The check is real: a console message and a missing image are caught.
        let home = output + "/index.html"
        try String(contentsOfFile: home, encoding: .utf8)
            .replacingOccurrences(of: "</body>", with: "<script>console.error(\"boom\")</script><img src=\"/assets/missing.png\" alt=\"\"></body>")
            .write(toFile: home, atomically: true, encoding: .utf8)
        let broken = try runPython("browser_check.py", [output, rooted("_build/screenshots/broken"), "/"])
        #expect(broken.status == 1)
        #expect(broken.output.contains("\"boom\""))
        #expect(broken.output.contains("/assets/missing.png: the server answered 404"))
    }
}

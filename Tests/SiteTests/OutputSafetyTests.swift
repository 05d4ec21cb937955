import Catalog
import Infrastructure
import Foundation
@testable import Site
import Testing
import TestSupport

@Suite("shots build never writes, deletes or half-commits outside what it means to")
struct OutputSafetyTests {
    /// A site built from a copy of the sample data, and a victim folder outside its output.
    final class Scene {
        let folder: TemporaryFolder
        let sources: [String]
        let output: String
        let victim: String

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.copyItem(atPath: rooted("site/data/tezos"), toPath: folder.subpath("data"))
            sources = [folder.subpath("data/mainnet"), folder.subpath("data/ghostnet")]
            output = folder.subpath("out")
            victim = folder.subpath("victim")
            try folder.write("victim/index.html", "the victim's own page\n")
            try folder.write("victim/tree/keep.txt", "keep me\n")
            try buildSite(sources: sources, into: output)
        }

        func build(steps: [BuildStep] = SiteBuild.steps) throws(Problem) {
            _ = try SiteBuild.run(BuildOptions(siteFolder: rooted("site"), templatesFolder: rooted("templates"), outputFolder: output,
                                               sources: sources, environment: [:]), steps: steps, log: { _ in })
        }

        func addArtifact(height: Int64 = 5_270_000, network: String = "mainnet") throws {
            try folder.write(artifact: artifactJSON(network: network, height: height, timestamp: "2024-05-20T00:00:00Z"),
                             in: "data/\(network)")
        }
    }

    @Test("a link planted where the output has a folder (a network, assets, the cache) is refused; nothing outside or inside changes",
          arguments: ["mainnet", "assets", ".shots-cache"])
    func linkedFolder(name: String) throws {
        let scene = try Scene()
        try scene.addArtifact()  // so the rebuild has something to write into every one of them
        try FileManager.default.removeItem(atPath: scene.output + "/" + name)
        try FileManager.default.createSymbolicLink(atPath: scene.output + "/" + name, withDestinationPath: scene.victim)
        let victim = snapshot(of: scene.victim)
        let before = snapshot(of: scene.output)
        #expect {
            try scene.build()
        } throws: { error in
            "\(error)".contains("\(scene.output)/\(name): is a symbolic link")
        }
        #expect(snapshot(of: scene.victim) == victim)
        #expect(snapshot(of: scene.output) == before)
    }

    @Test("a manifest line that reaches through a link, or names a folder, removes nothing but files of the output")
    func manifestThroughLink() throws {
        let scene = try Scene()
        try FileManager.default.createSymbolicLink(atPath: scene.output + "/link", withDestinationPath: scene.victim)
        try FileManager.default.createDirectory(atPath: scene.output + "/mine", withIntermediateDirectories: true)
        try "an operator's file\n".write(toFile: scene.output + "/mine/notes.txt", atomically: false, encoding: .utf8)
        let manifest = scene.output + "/.shots-manifest"
        let lines = ["link/index.html", "link/tree", "link/tree/keep.txt", "mine", "link", ".shots-staging/0", ".shots-cache/index.tsv"]
            .map { "0123456789abcdef 1 1 \($0)\n" }
        try (String(contentsOfFile: manifest, encoding: .utf8) + lines.joined()).write(toFile: manifest, atomically: false, encoding: .utf8)
        let victim = snapshot(of: scene.victim)
        try scene.build()
        #expect(snapshot(of: scene.victim) == victim)
        #expect(FileManager.default.fileExists(atPath: scene.output + "/mine/notes.txt"))
        #expect(FileManager.default.fileExists(atPath: scene.output + "/.shots-cache/index.tsv"), "the manifest never names the build's own files")
        // The link itself was listed as a file this build no longer writes: it goes, its target stays.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: scene.output + "/link")) == nil)
    }

    @Test("a build that fails at any named step leaves the previous output byte-identical, and the next build completes it",
          arguments: SiteBuild.steps.indices)
    func failureAtEveryStep(index: Int) throws {
        let scene = try Scene()
        try scene.addArtifact()
        try scene.addArtifact(height: 6_600_000, network: "ghostnet")
        let before = snapshot(of: scene.output)
        let injected = Problem(origin: "test", reason: "injected failure")
        for after in [false, true] where !(after && index == SiteBuild.steps.count - 1) {
            var steps = SiteBuild.steps
            let step = steps[index]
            steps[index] = BuildStep(name: step.name, alongside: step.alongside) { context throws(Problem) in
                if after { _ = try step.run(context) }
                throw injected
            }
            #expect(throws: injected.inStep(step.name)) { try scene.build(steps: steps) }
            #expect(snapshot(of: scene.output) == before, "failed \(after ? "after" : "at") \(step.name)")
        }
        try scene.build()
        let fresh = scene.folder.subpath("fresh")
        try buildSite(sources: scene.sources, into: fresh)
        #expect(contents(of: scene.output) == contents(of: fresh))
        #expect(contents(of: scene.output)["mainnet/index.html"].map { String(decoding: $0, as: UTF8.self).contains("5270000") } == true)
    }

    @Test("an artifact whose network collides with a site file fails the build with nothing changed, on a rebuild or a first build")
    func collisionChangesNothing() throws {
        let scene = try Scene()
        let before = snapshot(of: scene.output)
        try scene.folder.write(artifact: artifactJSON(network: "sitemap.xml", height: 5_270_000), in: "data/mainnet")
        #expect {
            try scene.build()
        } throws: { error in
            // Whichever it meets first: the page it claimed, or the file where its folder belongs.
            "\(error)".contains("two outputs of this build claim this path") || "\(error)".contains("out/sitemap.xml: is a symbolic link or a file where a folder belongs")
        }
        #expect(snapshot(of: scene.output) == before)

        let first = scene.folder.subpath("first")
        #expect(throws: Problem.self) { try buildSite(sources: scene.sources, into: first) }
        #expect(!FileManager.default.fileExists(atPath: first), "a failed first build leaves no output folder behind")
    }

    @Test("a file where the output needs a folder, or a folder where it writes a file, stops the build before anything moves")
    func wrongKinds() throws {
        let scene = try Scene()
        try scene.addArtifact()
        try FileManager.default.removeItem(atPath: scene.output + "/ghostnet")
        try "not a folder\n".write(toFile: scene.output + "/ghostnet", atomically: false, encoding: .utf8)
        var before = snapshot(of: scene.output)
        #expect(throws: Problem.self) { try scene.build() }
        #expect(snapshot(of: scene.output) == before)

        try FileManager.default.removeItem(atPath: scene.output + "/ghostnet")
        try FileManager.default.removeItem(atPath: scene.output + "/sitemap.xml")
        try FileManager.default.createDirectory(atPath: scene.output + "/sitemap.xml", withIntermediateDirectories: false)
        before = snapshot(of: scene.output)
        #expect {
            try scene.build()
        } throws: { error in
            "\(error)".contains("sitemap.xml: is a folder where this build writes a file")
        }
        #expect(snapshot(of: scene.output) == before)
    }

    @Test("an output folder that is, holds or sits in the site or templates folder is refused before anything is written",
          arguments: ["site", "site/assets", ".", "templates/xtz-shots"])
    func overlappingOutput(relative: String) throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        try FileManager.default.copyItem(atPath: rooted("templates"), toPath: folder.subpath("templates"))
        let before = snapshot(of: folder.path)
        #expect {
            _ = try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: folder.subpath("templates"),
                                               outputFolder: relative == "." ? folder.path : folder.subpath(relative), sources: [], environment: [:]))
        } throws: { error in
            "\(error)".contains("the output folder overlaps the")
        }
        #expect(snapshot(of: folder.path) == before)
    }

    @Test("a page cannot take the path of the build's own manifest, staging or cache")
    func reservedPaths() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        for permalink in ["/.shots-manifest", "/.shots-cache/index.tsv", "/.shots-staging/0"] {
            try "---\ntitle: x\npermalink: \(permalink)\n---\nhello\n".write(toFile: site + "/pages/reserved.md", atomically: true, encoding: .utf8)
            #expect {
                try buildSite(site: site, into: folder.subpath("out"))
            } throws: { error in
                "\(error)".contains("not a path a page or file may take")
            }
        }
    }

    @Test("a second build into an output another process is writing is refused, leaving it alone")
    func concurrentBuilds() throws {
        let scene = try Scene()
        try scene.addArtifact()
        let before = snapshot(of: scene.output)
        // flock(1) holds the folder's lock as another build would, while the build runs.
        let ready = scene.folder.subpath("locked")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [scene.output, "sh", "-c", "touch '\(ready)'; exec sleep 5"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: ready) { usleep(50_000) }
        try #require(FileManager.default.fileExists(atPath: ready), "flock never took the lock")
        #expect {
            try scene.build()
        } throws: { error in
            "\(error)" == "\(scene.output): another shots build is writing this folder now; try again when it is done"
        }
        #expect(snapshot(of: scene.output) == before)
    }

    @Test("one-letter names (a network, a page, a manifest line) build; Foundation's path splitting traps on them")
    func oneLetterNames() throws {
        let scene = try Scene()
        try scene.folder.write(artifact: artifactJSON(network: "x", height: 7), in: "data/mainnet")
        let manifest = scene.output + "/.shots-manifest"
        try (String(contentsOfFile: manifest, encoding: .utf8) + "0000000000000001 -1 -1 y\n").write(toFile: manifest, atomically: false, encoding: .utf8)
        try scene.build()
        #expect(FileManager.default.fileExists(atPath: scene.output + "/x/index.html"))
    }

    @Test("a file of the output that was replaced by a hard link to a file outside, or edited in place, is written again")
    func tamperedOutputIsRewritten() throws {
        let scene = try Scene()
        let page = scene.output + "/index.html"
        let original = try Data(contentsOf: URL(fileURLWithPath: page))
        try FileManager.default.removeItem(atPath: page)
        try FileManager.default.linkItem(atPath: scene.victim + "/index.html", toPath: page)
        let list = scene.output + "/mainnet/list.html"
        let listed = try Data(contentsOf: URL(fileURLWithPath: list))
        try Data("defaced\n".utf8).write(to: URL(fileURLWithPath: list))
        let summary = try SiteBuild.run(BuildOptions(siteFolder: rooted("site"), templatesFolder: rooted("templates"),
                                                     outputFolder: scene.output, sources: scene.sources, environment: [:]))
        #expect(summary.written == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: page)) == original)
        #expect(try Data(contentsOf: URL(fileURLWithPath: list)) == listed)
        #expect(try String(contentsOfFile: scene.victim + "/index.html", encoding: .utf8) == "the victim's own page\n")
    }

    @Test("a file name with a line break cannot add a line to the manifest (and so have a file removed)")
    func lineBreakInName() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        try build(site: site, into: folder.subpath("out"))
        try "mine\n".write(toFile: folder.subpath("out/CNAME"), atomically: false, encoding: .utf8)
        try "x".write(toFile: site + "/assets/x\n0000000000000001 CNAME", atomically: false, encoding: .utf8)
        #expect {
            try build(site: site, into: folder.subpath("out"))
        } throws: { error in
            "\(error)".contains("assets/x\\n0000000000000001 CNAME: not a path a page or file may take")
        }
        try FileManager.default.removeItem(atPath: site + "/assets/x\n0000000000000001 CNAME")
        try build(site: site, into: folder.subpath("out"))
        #expect(FileManager.default.fileExists(atPath: folder.subpath("out/CNAME")))
    }

    @Test("the overlap check sees through '..' past folders that do not exist yet, and covers catalog sources")
    func overlapThroughDotDot() throws {
        let folder = try TemporaryFolder()
        let site = try copyOfSite(in: folder)
        let before = snapshot(of: site)
        #expect {
            try build(site: site, into: folder.subpath("missing/../site"))
        } throws: { error in "\(error)".contains("overlaps the site folder") }
        try FileManager.default.copyItem(atPath: rooted("site/data/tezos/mainnet"), toPath: folder.subpath("data"))
        #expect {
            try buildSite(site: site, sources: [folder.subpath("data")], into: folder.subpath("data/out"))
        } throws: { error in "\(error)".contains("overlaps the catalog source") }
        #expect(snapshot(of: site) == before)
        #expect(!FileManager.default.fileExists(atPath: folder.subpath("data/out")))
    }

    @Test("after a build killed while staging or committing, the next build removes the empty folders and temporaries it left")
    func emptyFoldersAfterKill() throws {
        let scene = try Scene()
        for folder in [".shots-staging", "mainnet/made-by-killed-build/deeper"] {
            try FileManager.default.createDirectory(atPath: scene.output + "/" + folder, withIntermediateDirectories: true)
        }
        try "staged".write(toFile: scene.output + "/.shots-staging/7", atomically: false, encoding: .utf8)
        try "half a manifest".write(toFile: scene.output + "/..shots-manifest.partial-3pwulbz8kj125", atomically: false, encoding: .utf8)
        try scene.build()
        #expect(!FileManager.default.fileExists(atPath: scene.output + "/..shots-manifest.partial-3pwulbz8kj125"))
        #expect(!FileManager.default.fileExists(atPath: scene.output + "/mainnet/made-by-killed-build"))
        #expect(!FileManager.default.fileExists(atPath: scene.output + "/.shots-staging"))
        #expect(FileManager.default.fileExists(atPath: scene.output + "/mainnet/index.html"))
    }

    private func build(site: String, into output: String) throws {
        try buildSite(site: site, into: output)
    }
}

import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

/// A site, its templates and a secret outside both, copied for one test to attack.
private final class HostileSite {
    let folder: TemporaryFolder
    let site: String
    let templates: String
    let secret: String
    static let secretText = "SECRET-7f3a-do-not-publish"

    init() throws {
        folder = try TemporaryFolder()
        site = folder.subpath("site")
        templates = folder.subpath("templates")
        try FileManager.default.copyItem(atPath: Shots.packageRoot.appendingPathComponent("site").path, toPath: site)
        try FileManager.default.copyItem(atPath: Shots.packageRoot.appendingPathComponent("templates").path, toPath: templates)
        // The sample data stays where site.yml's relative sources expect it.
        secret = try folder.write("outside/shadow", Self.secretText + "\n")
    }

    /// `shots build` under /usr/bin/time: the run, its wall time and its peak RSS in MiB.
    func build() throws -> (run: ProgramRun, seconds: Double, peakMiB: Double) {
        let start = Date()
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/time"),
                                 ["-f", "peak-rss-kib %M", Shots.binary.path, "build", "--site", site, "--templates", templates, "-o", output])
        let seconds = Date().timeIntervalSince(start)
        let peak = run.errorLines.last { $0.hasPrefix("peak-rss-kib ") }.flatMap { Double($0.dropFirst(13)) } ?? .infinity
        let lines = run.errorLines.filter { !$0.hasPrefix("peak-rss-kib ") && !$0.hasPrefix("Command exited with non-zero status") }
        return (ProgramRun(status: run.status, stdout: run.stdout, stderr: lines.joined(separator: "\n")), seconds, peak / 1024)
    }

    var output: String { folder.subpath("out") }

    /// A good build of the untouched site (or of `site/<sub>`), and the output it left: what a
    /// failed build afterwards must leave byte for byte.
    func goodOutput(sub: String? = nil) throws -> [String: String] {
        let run = try Shots.run(["build", "-q", "--site", sub.map { site + "/" + $0 } ?? site, "--templates", templates, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        return snapshot(of: output)
    }

    /// Whether any file under the output holds the secret's text.
    func outputLeaksSecret() -> Bool {
        let walker = FileManager.default.enumerator(atPath: output)
        while let relative = walker?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: output + "/" + relative),
               String(decoding: data, as: UTF8.self).contains(Self.secretText) { return true }
        }
        return false
    }

    func replace(in relative: String, _ old: String, with new: String) throws {
        let path = site + "/" + relative
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old), "fixture: \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: false, encoding: .utf8)
    }
}

/// A "billion laughs": nine levels of nine aliases, a few hundred bytes, 387 million nodes expanded.
private let billionLaughs = """
    lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    lol1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
    lol2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
    lol3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
    lol4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
    lol5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
    lol6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
    lol7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
    lol8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]

    """

@Suite("shots build against a hostile site folder, configuration and templates")
struct HostileSiteTests {
    @Test("a YAML alias bomb in site.yml, theme.yml or front matter is refused in well under a second and 100 MB",
          arguments: ["site.yml", "theme.yml", "front matter"])
    func aliasBomb(place: String) throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        let target: String
        switch place {
        case "site.yml":
            target = scene.site + "/site.yml"
            try (try String(contentsOfFile: target, encoding: .utf8) + billionLaughs).write(toFile: target, atomically: false, encoding: .utf8)
        case "theme.yml":
            target = scene.templates + "/xtz-shots/theme.yml"
            try billionLaughs.write(toFile: target, atomically: false, encoding: .utf8)
        default:
            target = scene.site + "/pages/bomb.md"
            try ("---\ntitle: bomb\npermalink: /bomb/\n" + billionLaughs + "---\nboom\n").write(toFile: target, atomically: false, encoding: .utf8)
        }
        #expect(billionLaughs.utf8.count < 600)
        let (run, seconds, peak) = try scene.build()
        #expect(run.status == 1)
        let step = place == "site.yml" ? "Read site configuration" : "Load templates"
        #expect(run.errorLines == ["error: step \"\(step)\": \(target): " + (place == "front matter" ? "front matter: " : "")
                + "has more than 100000 YAML nodes once its aliases (&anchor/*alias) are expanded; write less, or the values out"])
        #expect(seconds < 1, "took \(seconds) s")
        #expect(peak < 100, "peak RSS \(peak) MiB")
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("a partial that includes itself, directly or through another (or as its parent), is named; no crash",
          arguments: [["loop": "<p>{{> loop}}</p>"], ["ping": "{{#site}}{{> pong}}{{/site}}", "pong": "{{> ping }}"],
                      ["child": "{{<child}}{{$block}}x{{/block}}{{/child}}"]])
    func templateRecursion(partials: [String: String]) throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try FileManager.default.createDirectory(atPath: scene.site + "/templates/partials", withIntermediateDirectories: true)
        for (name, text) in partials {
            try text.write(toFile: scene.site + "/templates/partials/\(name).html", atomically: false, encoding: .utf8)
        }
        try scene.replace(in: "pages/getting-started.md", "---\n# Getting started", with: "---\n{{> \(partials.keys.sorted().first!)}}\n# Getting started")
        let (run, seconds, _) = try scene.build()
        #expect(run.status == 1, "a crash ends with a signal, not exit 1: \(run.status)")
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("includes itself ("), "\(run.stderr)")
        #expect(run.stderr.contains(partials.keys.contains("loop") ? "loop → loop" : "→"))
        #expect(seconds < 5)
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("partials that each include the next ten times are refused before they render 10^6 times")
    func templateExpansion() throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try FileManager.default.createDirectory(atPath: scene.site + "/templates/partials", withIntermediateDirectories: true)
        for level in 0..<6 {
            let text = level == 5 ? "lol" : String(repeating: "{{> lol\(level + 1)}}", count: 10)
            try text.write(toFile: scene.site + "/templates/partials/lol\(level).html", atomically: false, encoding: .utf8)
        }
        let (run, _, _) = try scene.build()
        #expect(run.status == 1)
        #expect(run.stderr.contains("lol1.html: expands to more than 10000 partial renders"), "\(run.stderr)")
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("a link in the site folder to a file outside it (an asset, a template override) is refused and nothing is published",
          arguments: ["assets/x.txt", "templates/partials/footer.html", "pages/leak.md"])
    func linkOut(relative: String) throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        let link = scene.site + "/" + relative
        try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: scene.secret)
        let (run, _, _) = try scene.build()
        #expect(run.status == 1)
        #expect(run.errorLines == ["error: step \"Load templates\": \(link): is, or is under, a symbolic link that leads outside \(scene.site); a site reads and ships only files inside its own folders"])
        #expect(!scene.outputLeaksSecret())

        // A whole folder linked out is refused the same way.
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.removeItem(atPath: scene.site + "/assets")
        try FileManager.default.createSymbolicLink(atPath: scene.site + "/assets", withDestinationPath: (scene.secret as NSString).deletingLastPathComponent)
        let folder = try scene.build()
        #expect(folder.run.status == 1)
        #expect(folder.run.stderr.contains("\(scene.site)/assets: is, or is under, a symbolic link that leads outside"), "\(folder.run.stderr)")
        #expect(!scene.outputLeaksSecret())
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("links that stay inside the site folder, as a Kubernetes ConfigMap mount makes them, are followed")
    func configMapLinks() throws {
        let scene = try HostileSite()
        let data = scene.site + "/..2026_12_02_15_00_00.1234"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: scene.site + "/site.yml", toPath: data + "/site.yml")
        try FileManager.default.createSymbolicLink(atPath: scene.site + "/..data", withDestinationPath: "..2026_12_02_15_00_00.1234")
        try FileManager.default.createSymbolicLink(atPath: scene.site + "/site.yml", withDestinationPath: "..data/site.yml")
        let (run, _, _) = try scene.build()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: scene.output + "/mainnet/index.html"))
    }

    @Test("configuration text cannot become markup, rules or a published secret",
          arguments: [
            ("description: The long-running Tezos test network, upgraded with mainnet.",
             "description: \"first line\\n\\n# Heading\\n- list\"", "networks.description: expected one line of text"),
            ("name: Ghostnet", "name: \"<b>Ghostnet</b>\"", "networks.name: expected one line of text"),
            ("artifact_host: https://{network}.xtz-shots.io", "artifact_host: https://KEY:SECRET@{network}.xtz-shots.io",
             "artifact_host: must not carry credentials (user:password@host); it is published"),
            ("block_url: https://tzkt.io/{block_hash}", "block_url: https://tzkt.io/{block_hash}?api_token=SECRET",
             "networks.explorers.block_url: must not carry a credential in its query (\"api_token\"=...); it is published"),
            ("url: https://tezos.gitlab.io/", "url: \"https://tezos.gitlab.io/\\\" onclick=\\\"alert(1)\"",
             "footer_links.url: expected a URL without spaces, quotes, <, > or control characters"),
            ("base_url: https://xtz-shots.io", "base_url: \"https://xtz-shots.io/ /x\"", "base_url: expected a URL of letters, digits"),
            ("org: xtz-shots sample", "org: \"a\\u200Eb\"", "org: expected one line of text"),
            ("tagline: Tezos node snapshots and tarballs, fresh, checksummed and signed.",
             "tagline: mirrored at https://KEY:SECRET@mirror.example/ too", "tagline: holds a URL with credentials"),
          ])
    func configurationText(old: String, new: String, message: String) throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try scene.replace(in: "site.yml", old, with: new)
        let (run, _, _) = try scene.build()
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.hasPrefix("error: step \"Read site configuration\": \(scene.site)/site.yml: \(message)"), "\(run.stderr)")
        #expect(!run.stderr.contains("SECRET"))
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("a polkashots short_name with a line break cannot add a rule to _redirects")
    func shortNameInjection() throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput(sub: "polkashots")
        try scene.replace(in: "polkashots/site.yml", "short_name: dot", with: "short_name: \"dot\\n/* https://evil.example/:splat 301!\"")
        let run = try Shots.run(["build", "--site", scene.site + "/polkashots", "--templates", scene.templates, "-o", scene.output])
        #expect(run.status == 1)
        #expect(run.errorLines == ["error: step \"Read site configuration\": \(scene.site)/polkashots/site.yml: networks.short_name: expected \(TextForm.word.expectation), such as dot, found \"dot\\n/* https://evil.example/:splat 301!\""])
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("templates that would print data unescaped, change delimiters, nest sections without bound or name partials by data are refused",
          arguments: [
            ("<a title=\"{{{site.org}}}\">x</a>", "prints \"site.org\" unescaped; only {{{content}}} may be"),
            ("{{& site.title}}", "prints \"site.title\" unescaped"),
            ("{{=| |=}}|#x||/x|", "set-delimiter tags ({{=...=}}) are not allowed"),
            (String(repeating: "{{#site}}", count: 1000) + String(repeating: "{{/site}}", count: 1000), "sections nest more than 8 deep"),
            ("{{>*site.title}}", "a partial named by data ({{>*name}}) is not allowed"),
            ("{{%CONTENT_TYPE:TEXT}}<a title=\"{{site.org}}\">", "pragma tags ({{%...}}) are not allowed"),
          ])
    func templateRefusals(template: String, message: String) throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try FileManager.default.createDirectory(atPath: scene.site + "/templates/partials", withIntermediateDirectories: true)
        try template.write(toFile: scene.site + "/templates/partials/footer.html", atomically: false, encoding: .utf8)
        let (run, seconds, _) = try scene.build()
        #expect(run.status == 1, "a crash ends with a signal: \(run.status)")
        #expect(run.errorLines.first?.hasPrefix("error: step \"Load templates\": \(scene.site)/templates/partials/footer.html: " + message) == true, "\(run.stderr)")
        #expect(run.errorLines.count == 1)
        #expect(seconds < 5)
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("a Mustache syntax error on a 200 KB line is reported in one short line")
    func longSyntaxError() throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try FileManager.default.createDirectory(atPath: scene.site + "/templates/partials", withIntermediateDirectories: true)
        try ("{{#a}}" + String(repeating: "x", count: 200_000)).write(toFile: scene.site + "/templates/partials/footer.html", atomically: false, encoding: .utf8)
        let (run, _, _) = try scene.build()
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.utf8.count < 600, "\(run.stderr.utf8.count) bytes")
        #expect(run.stderr.contains("footer.html: not a valid Mustache template: expectedSectionEnd at line 1"), "\(run.stderr)")
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }

    @Test("a network listed twice in site.yml is named, not a crash")
    func duplicateNetwork() throws {
        let scene = try HostileSite()
        let before = try scene.goodOutput()
        try scene.replace(in: "site.yml", "  - id: ghostnet", with: "  - id: mainnet")
        let (run, _, _) = try scene.build()
        #expect(run.status == 1, "a crash ends with a signal: \(run.status)")
        #expect(run.errorLines == ["error: step \"Read site configuration\": \(scene.site)/site.yml: networks.id: \"mainnet\" is listed twice; each network once"])
        #expect(snapshot(of: scene.output) == before, "the previous output is left as it was")
    }
}

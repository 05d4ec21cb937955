import Catalog
import Infrastructure
import Foundation
import Site
import TestSupport

/// A path under the package: the shipped templates, the embedded site and the checker scripts.
func rooted(_ relative: String) -> String { PackageRoot.file(relative) }

/// Builds the embedded site (or `site` in its place) from `sources` into `output`.
@discardableResult
func buildSite(site: String = rooted("site"), sources: [String] = [], into output: String, environment: [String: String] = [:]) throws -> BuildSummary {
    try SiteBuild.run(BuildOptions(siteFolder: site, templatesFolder: rooted("templates"), outputFolder: output,
                                   sources: sources, environment: environment))
}

/// Every file under `folder` (relative path → bytes), the build manifest and cache aside.
func contents(of folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for case let relative as String in FileManager.default.enumerator(atPath: folder)?.allObjects ?? [] {
        let path = (folder as NSString).appendingPathComponent(relative)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue, !relative.hasPrefix(".shots-") {
            files[relative] = FileManager.default.contents(atPath: path)
        }
    }
    return files
}

/// Runs a Python checker script shipped with the tests; its output is returned for messages.
func runPython(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let run = try runTool(["python3", rooted("Tests/SiteTests/\(script)")] + arguments)
    return (run.status, run.stdout + run.stderr)
}

/// A copy of the embedded site folder to change for one test.
func copyOfSite(in folder: TemporaryFolder) throws -> String {
    let copy = folder.subpath("site")
    try FileManager.default.copyItem(atPath: rooted("site"), toPath: copy)
    return copy
}

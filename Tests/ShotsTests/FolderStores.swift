import Catalog
import Infrastructure
import Foundation
import TestSupport

/// Folder stores under one folder as `make run` lays them out (`<network>/`, `site/`), published
/// into by the real `shots publish` and read back from the files and sidecars a bucket would hold.
struct FolderStores {
    static let site = Shots.packageRoot.path + "/site"
    let root: String

    /// `shots publish SOURCE` into these stores with the embedded default site (unsigned unless a key is given).
    func publish(_ source: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> ProgramRun {
        try run("publish", [source] + extra, environment: environment)
    }

    /// Any verb that takes publish's store flags.
    func run(_ verb: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProgramRun {
        let signing = arguments.contains("--signing-key") ? [] : ["--unsigned"]
        return try Shots.run([verb] + arguments + ["--site", Self.site, "--store", root + "/{network}", "--site-store", root + "/site"] + signing,
                             environment: environment)
    }

    /// The website-redirect location of a network store's object, nil when it has none.
    func redirect(_ key: String, network: String = "mainnet") throws -> String? {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(network)/.shots-store/headers/\(key).json"))
        guard case .string(let location)? = try JSONParser.parse(data)["website_redirect_location"] else { return nil }
        return location
    }

    /// Takes an artifact out of a network's base.json by hand, as an operator would with jq.
    func pull(_ name: String, network: String = "mainnet") throws {
        try removeFromCatalog(name, at: "\(root)/\(network)/base.json")
    }

    /// The filenames in a network's base.json, in its order.
    func baseFilenames(network: String = "mainnet") throws -> [String] {
        guard case .array(let entries) = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(network)/base.json"))) else { return [] }
        return entries.compactMap { if case .string(let name)? = $0["filename"] { name } else { nil } }
    }
}

/// Rewrites the base.json at `path` without the artifact `name`.
func removeFromCatalog(_ name: String, at path: String) throws {
    guard case .array(let entries) = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: path))) else {
        throw PackFailed(stderr: "\(path) is not a base.json")
    }
    try JSONWriter().data(.array(entries.filter { $0["filename"] != .string(name) })).write(to: URL(fileURLWithPath: path))
}

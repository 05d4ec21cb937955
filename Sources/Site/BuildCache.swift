import Catalog
import Infrastructure
import ShotsConfiguration
import Foundation

/// What the previous build of an output folder read and derived, kept in `<output>/.shots-cache/`
/// so that a rebuild after one new artifact reads and renders only that artifact's network.
///
/// It is only trusted when everything else that shapes the output is the same (`inputs`: the
/// shots version, site.yml, every theme file, the sources, SOURCE_DATE_EPOCH); otherwise the build
/// starts over. Losing it only costs time: every build can be done without it.
struct BuildCache {
    static let folderName = SiteOutput.reservedPrefix + "cache"
    static let formatVersion = 3

    /// A metadata file as last read: how to tell it changed, and what it held.
    struct SourceFile: Equatable {
        var size: Int64
        var modified: Int64
        /// The artifact's network and file name; nil when the file was rejected.
        var network: String?
        var filename: String?
        /// Why it was rejected, or what was corrected in it, to report again without reading it.
        var problem: String?
        var rejected: Bool
    }

    /// What pages outside a network need from it, so an unchanged network is never loaded.
    struct NetworkRecord {
        var count: Int
        /// The content hash of the network's chunk, checked before it is spliced into a catalog.
        var chunkHash: String = ""
        /// The highest block and its time, for the home page.
        var newestHeight: Int64
        var newestTimestamp: String
        /// The latest block time of any artifact, for sitemap.xml.
        var modified: String
        var redirects: [Redirect]
    }

    var inputs: String
    var files = SourceFileIndex()
    var networks: [String: NetworkRecord] = [:]

    /// The fingerprint of everything but the artifact files: if it differs, nothing is reused.
    static func fingerprint(config: String, theme: Theme, schema: Data?, sources: [String], environment: [String: String]) throws(Problem) -> String {
        var data = Data("shots \(ShotsVersion.current) cache \(formatVersion)\n".utf8) + Data(config.utf8)
        for path in theme.files {
            data.append(Data(path.utf8))
            data.append(try theme.read(path))
        }
        data.append(schema ?? Data())
        data.append(Data((sources + [environment["SOURCE_DATE_EPOCH"] ?? ""]).joined(separator: "\n").utf8))
        return String(SiteOutput.fnv1a(data), radix: 16)
    }

    /// The cache of `output`, if there is one written for the same inputs.
    ///
    /// The index is plain text, a record a line and fields split by tabs: the header, the networks
    /// (`N`) and their redirects (`R`), then one `F` line per metadata file (see `SourceFileIndex`).
    static func load(output: OutputFolder, inputs: String) -> BuildCache? {
        guard let bytes = output.read(indexPath) else { return nil }
        var cache = BuildCache(inputs: inputs)
        var start = 0
        var isHeader = true
        while start < bytes.count, bytes[start] != UInt8(ascii: "F") {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            defer { start = end + 1 }
            let fields = bytes[start..<end].split(separator: 0x09, omittingEmptySubsequences: false).map(SourceFileIndex.unescaped)
            if isHeader {
                guard fields == ["shots-cache \(formatVersion)", inputs] else { return nil }
                isHeader = false
                continue
            }
            switch (fields.first, fields.count) {
            case ("N", 7):
                guard let count = Int(fields[2]), let height = Int64(fields[3]),
                      output.isFile(chunkPath(network: fields[1])) else { return nil }
                cache.networks[fields[1], default: NetworkRecord(count: 0, newestHeight: 0, newestTimestamp: "", modified: "", redirects: [])]
                    .update(count: count, chunkHash: fields[6], newestHeight: height, newestTimestamp: fields[4], modified: fields[5])
            case ("R", 6):
                cache.networks[fields[1], default: NetworkRecord(count: 0, newestHeight: 0, newestTimestamp: "", modified: "", redirects: [])]
                    .redirects.append(Redirect(network: fields[1], bucketKey: optional(fields[2]), bucketLocation: fields[3],
                                               sitePath: optional(fields[4]), location: fields[5]))
            default:
                return nil
            }
        }
        guard !isHeader, let files = SourceFileIndex(text: bytes[min(start, bytes.count)...]) else { return nil }
        cache.files = files
        return cache
    }

    /// The encoded tezos-snapshots.json chunk of an unchanged network, if it is intact.
    static func chunk(output: OutputFolder, network: String, hash: String) -> [UInt8]? {
        guard let bytes = output.read(chunkPath(network: network)), Self.hash(bytes) == hash else { return nil }
        return bytes
    }

    static func hash(_ chunk: [UInt8]) -> String { String(SiteOutput.fnv1a(chunk), radix: 16) }

    private static func chunkPath(network: String) -> String { "\(folderName)/\(network).chunk" }

    /// Stages the chunks of the networks that changed (each chunk's hash is in the index and
    /// checked before use).
    static func save(output: SiteOutput, chunks: [String: [UInt8]]) throws(Problem) {
        for (network, chunk) in chunks { try output.write(chunkPath(network: network), Data(chunk), tracked: false) }
    }

    /// Stages the index; the output's commit moves it in after everything it describes.
    func saveIndex(output: SiteOutput) throws(Problem) {
        var text: [UInt8] = []
        func line(_ fields: String...) {
            text += Array(fields.map(SourceFileIndex.escaped).joined(separator: [0x09])) + [0x0A]
        }
        line("shots-cache \(Self.formatVersion)", inputs)
        for (id, record) in networks.sorted(by: { $0.key < $1.key }) {
            line("N", id, String(record.count), String(record.newestHeight), record.newestTimestamp, record.modified, record.chunkHash)
            for redirect in record.redirects {
                line("R", id, redirect.bucketKey ?? "", redirect.bucketLocation, redirect.sitePath ?? "", redirect.location)
            }
        }
        text += files.encoded()
        try output.write(Self.indexPath, Data(text), tracked: false)
    }

    private static let indexPath = "\(folderName)/index.tsv"

    private static func optional(_ field: String) -> String? { field.isEmpty ? nil : field }
}

extension BuildCache.NetworkRecord {
    mutating func update(count: Int, chunkHash: String, newestHeight: Int64, newestTimestamp: String, modified: String) {
        self.count = count
        self.chunkHash = chunkHash
        self.newestHeight = newestHeight
        self.newestTimestamp = newestTimestamp
        self.modified = modified
    }
}

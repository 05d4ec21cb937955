import Catalog
import Foundation

/// What the previous build of an output folder read and derived, kept in `<output>/.shots-cache/`
/// so that a rebuild after one new artifact reads and renders only that artifact's network.
///
/// It is only trusted when everything else that shapes the output is the same (`inputs`: the
/// shots version, site.yml, every theme file, the sources, SOURCE_DATE_EPOCH); otherwise the build
/// starts over. Losing it only costs time: every build can be done without it.
struct BuildCache {
    static let folderName = ".shots-cache"
    static let formatVersion = 1

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
    var files: [String: SourceFile] = [:]
    var networks: [String: NetworkRecord] = [:]

    /// The fingerprint of everything but the artifact files: if it differs, nothing is reused.
    static func fingerprint(config: Data, theme: [String], sources: [String], environment: [String: String]) -> String {
        var data = Data("shots \(ShotsVersion.current) cache \(formatVersion)\n".utf8) + config
        for path in theme {
            data.append(Data(path.utf8))
            data.append(FileManager.default.contents(atPath: path) ?? Data())
        }
        data.append(Data((sources + [environment["SOURCE_DATE_EPOCH"] ?? ""]).joined(separator: "\n").utf8))
        return String(SiteOutput.fnv1a(data), radix: 16)
    }

    /// The cache of `output`, if there is one written for the same inputs.
    ///
    /// The index is plain text, a record a line and fields split by tabs: for ten thousand files it
    /// reads and writes several times faster than JSON, and nothing in it needs nesting.
    static func load(output: String, inputs: String) -> BuildCache? {
        let path = (output as NSString).appendingPathComponent("\(folderName)/index.tsv")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = [UInt8](data).split(separator: 0x0A)
        guard let header = lines.first, String(decoding: header, as: UTF8.self) == "shots-cache \(formatVersion)\t\(inputs)" else { return nil }
        var cache = BuildCache(inputs: inputs)
        cache.files.reserveCapacity(lines.count)
        var networkNames: [String: String] = [:]  // one String per network, shared by its files
        for line in lines.dropFirst() {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            switch (fields.first.map { String(decoding: $0, as: UTF8.self) }, fields.count) {
            case ("F", 8):
                guard let size = Int64(String(decoding: fields[2], as: UTF8.self)),
                      let modified = Int64(String(decoding: fields[3], as: UTF8.self)) else { return nil }
                let network = fields[4].isEmpty ? nil : String(decoding: fields[4], as: UTF8.self)
                let shared = network.map { name in networkNames[name] ?? { networkNames[name] = name; return name }() }
                cache.files[unescape(fields[1])] = SourceFile(
                    size: size, modified: modified, network: shared, filename: optional(unescape(fields[5])),
                    problem: fields[6].isEmpty ? nil : unescape(fields[6]), rejected: fields[7].elementsEqual("rejected".utf8))
            case ("N", 7):
                let fields = fields.map(unescape)
                guard let count = Int(fields[2]), let height = Int64(fields[3]),
                      FileManager.default.fileExists(atPath: chunkPath(output: output, network: fields[1])) else { return nil }
                cache.networks[fields[1], default: NetworkRecord(count: 0, newestHeight: 0, newestTimestamp: "", modified: "", redirects: [])]
                    .update(count: count, chunkHash: fields[6], newestHeight: height, newestTimestamp: fields[4], modified: fields[5])
            case ("R", 6):
                let fields = fields.map(unescape)
                cache.networks[fields[1], default: NetworkRecord(count: 0, newestHeight: 0, newestTimestamp: "", modified: "", redirects: [])]
                    .redirects.append(Redirect(network: fields[1], bucketKey: optional(fields[2]), bucketLocation: fields[3],
                                               sitePath: optional(fields[4]), location: fields[5]))
            default:
                return nil
            }
        }
        return cache
    }

    /// The encoded tezos-snapshots.json chunk of an unchanged network, if it is intact.
    static func chunk(output: String, network: String, hash: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: chunkPath(output: output, network: network)),
              String(SiteOutput.fnv1a(data), radix: 16) == hash else { return nil }
        return [UInt8](data)
    }

    static func hash(_ chunk: [UInt8]) -> String { String(SiteOutput.fnv1a(Data(chunk)), radix: 16) }

    private static func chunkPath(output: String, network: String) -> String {
        (output as NSString).appendingPathComponent("\(folderName)/\(network).chunk")
    }

    /// Writes the index and the chunks of the networks that changed.
    func save(output: String, chunks: [String: [UInt8]]) throws(Problem) {
        let folder = (output as NSString).appendingPathComponent(Self.folderName)
        for (network, chunk) in chunks {
            // Not flushed: each chunk's hash is in the index and checked before use.
            try AtomicFile.write(Data(chunk), to: Self.chunkPath(output: output, network: network), durable: false)
        }
        var lines = ["shots-cache \(Self.formatVersion)\t\(inputs)"]
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            lines.append(Self.line(["F", path, String(file.size), String(file.modified), file.network ?? "", file.filename ?? "",
                                    file.problem ?? "", file.rejected ? "rejected" : "read"]))
        }
        for (id, record) in networks.sorted(by: { $0.key < $1.key }) {
            lines.append(Self.line(["N", id, String(record.count), String(record.newestHeight), record.newestTimestamp, record.modified, record.chunkHash]))
            for redirect in record.redirects {
                lines.append(Self.line(["R", id, redirect.bucketKey ?? "", redirect.bucketLocation, redirect.sitePath ?? "", redirect.location]))
            }
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: (folder as NSString).appendingPathComponent("index.tsv"), durable: false)
    }

    private static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x5C })
                ? field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
                : field
        }.joined(separator: "\t")
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        let field = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(0x5C) else { return field }
        var text = ""
        var escaping = false
        for character in field {
            if escaping {
                text.append(character == "t" ? "\t" : character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                text.append(character)
            }
        }
        return text
    }

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

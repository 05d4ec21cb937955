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
        guard let data = FileManager.default.contents(atPath: indexPath(output: output)) else { return nil }
        let lines = [UInt8](data).split(separator: 0x0A)
        guard let header = lines.first, String(decoding: header, as: UTF8.self) == "shots-cache \(formatVersion)\t\(inputs)" else { return nil }
        var cache = BuildCache(inputs: inputs)
        // File records are most of the index: parse them on every core, then gather them.
        let body = Array(lines.dropFirst())
        let fileLines = body.filter { $0.first == UInt8(ascii: "F") }
        let records = fileLines.parallelMap { line in Unchecked(Self.fileRecord(line)) }
        cache.files.reserveCapacity(records.count)
        for record in records {
            guard let (path, file) = record.value else { return nil }
            cache.files[path] = file
        }
        for line in body where line.first != UInt8(ascii: "F") {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map(unescape)
            switch (fields.first, fields.count) {
            case ("N", 7):
                guard let count = Int(fields[2]), let height = Int64(fields[3]),
                      FileManager.default.fileExists(atPath: chunkPath(output: output, network: fields[1])) else { return nil }
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
        return cache
    }

    /// One `F` line: path, size, modification time, network, file name, problem, read or rejected.
    private static func fileRecord(_ line: ArraySlice<UInt8>) -> (String, SourceFile)? {
        let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
        guard fields.count == 8, let size = Int64(String(decoding: fields[2], as: UTF8.self)),
              let modified = Int64(String(decoding: fields[3], as: UTF8.self)) else { return nil }
        return (unescape(fields[1]), SourceFile(
            size: size, modified: modified, network: optional(unescape(fields[4])), filename: optional(unescape(fields[5])),
            problem: fields[6].isEmpty ? nil : unescape(fields[6]), rejected: fields[7].elementsEqual("rejected".utf8)))
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

    /// Writes the chunks of the networks that changed.
    static func save(output: String, chunks: [String: [UInt8]]) throws(Problem) {
        for (network, chunk) in chunks {
            // Not flushed: each chunk's hash is in the index and checked before use.
            try AtomicFile.write(Data(chunk), to: chunkPath(output: output, network: network), durable: false)
        }
    }

    /// Writes the index as pending: `commitIndex` makes it the one the next build uses.
    func saveIndex(output: String) throws(Problem) {
        var text: [UInt8] = []
        text.reserveCapacity(files.count * 160)
        func line(_ fields: String...) {
            for (position, field) in fields.enumerated() {
                if position > 0 { text.append(0x09) }
                for byte in field.utf8 {
                    switch byte {
                    case 0x5C: text += [0x5C, 0x5C]
                    case 0x09: text += [0x5C, UInt8(ascii: "t")]
                    case 0x0A: text += [0x5C, UInt8(ascii: "n")]
                    default: text.append(byte)
                    }
                }
            }
            text.append(0x0A)
        }
        line("shots-cache \(Self.formatVersion)", inputs)
        for (path, file) in files {
            line("F", path, String(file.size), String(file.modified), file.network ?? "", file.filename ?? "",
                 file.problem ?? "", file.rejected ? "rejected" : "read")
        }
        for (id, record) in networks.sorted(by: { $0.key < $1.key }) {
            line("N", id, String(record.count), String(record.newestHeight), record.newestTimestamp, record.modified, record.chunkHash)
            for redirect in record.redirects {
                line("R", id, redirect.bucketKey ?? "", redirect.bucketLocation, redirect.sitePath ?? "", redirect.location)
            }
        }
        try AtomicFile.write(Data(text), to: Self.indexPath(output: output) + ".pending", durable: false)
    }

    /// Promotes the pending index, once the build it describes is complete.
    static func commitIndex(output: String) throws(Problem) {
        let path = indexPath(output: output)
        guard rename(path + ".pending", path) == 0 else {
            throw Problem(origin: path, reason: "cannot replace the build cache index: \(String(cString: strerror(errno)))")
        }
    }

    private static func indexPath(output: String) -> String {
        (output as NSString).appendingPathComponent("\(folderName)/index.tsv")
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

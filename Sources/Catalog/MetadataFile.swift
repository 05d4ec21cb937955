import Foundation
import Infrastructure

/// Why a metadata file or folder could not be read, in words a user can act on.
public struct MetadataReadError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}

/// Reading metadata from disk, with limits checked before any byte is parsed.
public enum MetadataFile {
    /// One artifact's metadata is well under a kilobyte; anything over this is not metadata.
    public static let artifactSizeLimit = 1 << 20
    /// A network's base.json holds every artifact ever published there: tens of megabytes at most.
    public static let catalogSizeLimit = 256 << 20
    /// Names in a bucket folder that hold catalogs, not one artifact.
    public static let catalogFileNames: Set<String> = [PublishedLayout.baseCatalogKey, PublishedLayout.siteCatalogKey]

    /// Reads a regular file whole, refusing it first if it is larger than `limit` bytes.
    /// The size is checked on the open descriptor, so a file cannot grow between check and read,
    /// and a FIFO or device is refused instead of blocking forever.
    public static func read(_ path: String, limit: Int) throws(MetadataReadError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw MetadataReadError(path: path, problem: systemProblem(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MetadataReadError(path: path, problem: systemProblem(errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw MetadataReadError(path: path, problem: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw MetadataReadError(path: path, problem: overLimit(size, limit))
        }
        var data = Data(count: size)
        var filled = 0
        while filled < size {
            let count = data.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + filled, size - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw MetadataReadError(path: path, problem: count == 0 ? "file shrank while being read" : systemProblem(errno)) }
            filled += count
        }
        return data
    }

    /// The per-artifact metadata files in a folder (`*.json`, not catalogs, not hidden), by name
    /// unless `sorted` is false. Read with `readdir`: a bucket folder holds tens of thousands.
    public static func artifactFiles(in directory: String, sorted: Bool = true) throws(MetadataReadError) -> [String] {
        guard let stream = opendir(directory) else {
            let code = errno
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            throw MetadataReadError(path: directory, problem: !exists ? "no such folder" : isDirectory.boolValue ? "folder cannot be read (\(systemProblem(code)))" : "not a folder")
        }
        defer { closedir(stream) }
        var names: [String] = []
        let suffix = Array(".json".utf8)
        let catalogs = catalogFileNames.map { Array($0.utf8) }
        while let entry = readdir(stream) {
            // Filter on the bytes, before making a String of each of ten thousand names.
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                guard bytes.count > suffix.count, bytes.first != UInt8(ascii: "."), bytes.suffix(suffix.count).elementsEqual(suffix),
                      !catalogs.contains(where: { $0.elementsEqual(bytes) }) else { return nil }
                return String(decoding: bytes, as: UTF8.self)
            }
            if let name { names.append(name) }
        }
        return sorted ? names.sorted() : names
    }

    public static func overLimit(_ size: Int, _ limit: Int) -> String {
        "\(describeSize(size)) is over the \(describeSize(limit)) limit; refusing to parse it"
    }

    static func describeSize(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : bytes >= 1024 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }

    static func systemProblem(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "is a folder, not a file"
        default: String(cString: strerror(code))
        }
    }
}

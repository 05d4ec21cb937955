import Catalog
import Infrastructure
import Pipeline

/// What `shots restore` was asked to do.
public struct RestoreRequest: Sendable {
    /// An artifact URL or permalink; a site's root when `picker` is set.
    public var source: String
    public var destination: String
    public var keys: TrustedKeys
    /// Check the checksum alone when no key is trusted (the user said so).
    public var checksumOnly: Bool
    /// Choose from the site's signed catalog rather than take `source` as the artifact.
    public var picker: SnapshotPicker?
    public var maxCatalogAgeSeconds: Int64?
    public var connections: Int
    /// Paths relative to DEST that survive the restore as they are in DEST (a node's identity).
    public var kept: [String]
    public var freeFirst: Bool
    /// The node binary that imports a `.rolling` snapshot.
    public var nodeBinary: String

    public init(source: String, destination: String, keys: TrustedKeys, checksumOnly: Bool, picker: SnapshotPicker?,
                maxCatalogAgeSeconds: Int64?, connections: Int, kept: [String], freeFirst: Bool, nodeBinary: String) {
        self.source = source
        self.destination = destination
        self.keys = keys
        self.checksumOnly = checksumOnly
        self.picker = picker
        self.maxCatalogAgeSeconds = maxCatalogAgeSeconds
        self.connections = connections
        self.kept = kept
        self.freeFirst = freeFirst
        self.nodeBinary = nodeBinary
    }

    /// `--keep` paths must stay inside DEST.
    public func checkKept() throws(Problem) {
        for path in kept {
            guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw Problem(origin: "--keep", reason: "expected a path inside the destination (relative, without ..), found \(Problem.quoted(path))")
            }
        }
    }
}

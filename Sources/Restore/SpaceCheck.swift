import Catalog
import Infrastructure
import Foundation

/// Whether a restore fits on DEST's filesystem, decided before any byte is downloaded.
public enum SpaceCheck {
    /// The extracted size of an artifact packed before pack recorded it: its compressed size times
    /// this (LZ4 on a Tezos context is about 2×; overstated on purpose).
    public static let estimatedRatio = 2.5
    /// Room kept beyond the extracted bytes: filesystem blocks of small files, the node's first writes.
    static func margin(_ bytes: Int64) -> Int64 { bytes / 20 + (16 << 20) }

    /// The bytes a restore writes into DEST, and whether that is an estimate. A `.rolling` snapshot
    /// is kept on disk while the node imports it, so it counts twice: the file and what it becomes.
    public static func needed(for artifact: PublishedArtifact) -> (bytes: Int64, estimated: Bool) {
        let extracted = artifact.uncompressedSizeBytes ?? Int64(Double(artifact.filesizeBytes) * estimatedRatio)
        let bytes = extracted + (artifact.isTarball ? 0 : artifact.filesizeBytes)
        return (bytes + margin(bytes), artifact.uncompressedSizeBytes == nil)
    }

    public enum Verdict: Equatable {
        case fits
        /// Fits once DEST's current contents are gone: only with `--free-first`.
        case fitsOnlyAfterFreeing
        case doesNotFit
    }

    /// Keeping DEST's contents until the swap needs `needed` free; `--free-first` also has what
    /// the current contents take.
    public static func verdict(needed: Int64, available: Int64, currentUsage: Int64, freeFirst: Bool) -> Verdict {
        if needed <= available { return .fits }
        if needed <= available + currentUsage { return freeFirst ? .fits : .fitsOnlyAfterFreeing }
        return .doesNotFit
    }

    /// Bytes an unprivileged writer may still use on the filesystem that holds `path`.
    public static func available(at path: String) throws(Problem) -> Int64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw Problem(origin: path, reason: "cannot tell the free space: \(String(cString: strerror(errno)))") }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}

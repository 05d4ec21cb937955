import Catalog
import Infrastructure
import Foundation

/// Where a packed artifact's bytes go as they are produced, in order. A sink makes the artifact
/// visible under its name only on `finish`; `abort` removes whatever was written, so a failed run
/// never leaves something that looks like a complete artifact. (The storage layer streams into an
/// S3 multipart upload through the same protocol.)
public protocol ArtifactSink: AnyObject {
    /// Takes the next bytes of the artifact.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem)
    /// The artifact is complete.
    func finish() throws(Problem)
    /// The run failed: forget what was written. Also called after `finish` when a companion file
    /// fails to follow; the artifact must then be deleted too.
    func abort()
}

/// A file written under a temporary name in its folder and renamed into place by `finish`.
public final class FileSink: ArtifactSink {
    public let path: String
    private let temporary: StagedFile

    public init(path: String) throws(Problem) {
        self.path = path
        temporary = try StagedFile(finalPath: path)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) {
        try temporary.write(bytes)
    }

    public func finish() throws(Problem) {
        try temporary.close()
        try temporary.commit()
    }

    public func abort() {
        temporary.discard()
    }

    /// Takes a finished file on the same file system as the artifact's contents, instead of
    /// bytes written to the sink.
    func adopt(_ path: String) throws(Problem) {
        try temporary.replaceContents(with: path)
    }
}

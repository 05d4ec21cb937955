/// What tells a file was changed since it was written: its size and modification time (kept by
/// `cp -a` and backups, so a restored output is still recognised; an edit changes them).
public struct FileStamp: Equatable, Sendable {
    public var size: Int64
    public var modified: Int64  // nanoseconds since 1970

    public init(size: Int64, modified: Int64) {
        self.size = size
        self.modified = modified
    }
}

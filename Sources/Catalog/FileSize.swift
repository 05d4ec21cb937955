import Infrastructure

/// The human-readable `filesize` field of artifact metadata, as xtz-shots has always written it.
public enum FileSize {
    private static let suffixes = ["K", "M", "G", "T"]

    /// Divides by 1024 while the value is strictly greater than 1024, at most four times, and keeps
    /// the integer part: 1024 → "1024", 1025 → "1K", 53963264 → "51M", 6979321856 → "6G".
    ///
    /// Integer arithmetic reproduces the reference `awk` exactly: after `i` divisions the value is
    /// `bytes / 1024^i`, and it exceeds 1024 exactly when `bytes > 1024^(i+1)`.
    public static func format(bytes: Int64) -> String {
        var divisions = 0
        var divisor: Int64 = 1
        while divisions < suffixes.count, bytes > divisor * 1024 {
            divisor *= 1024
            divisions += 1
        }
        let whole = bytes / divisor
        return divisions == 0 ? String(whole) : "\(whole)\(suffixes[divisions - 1])"
    }

    /// The one rule for a stated `filesize` (Tezos and Polkadot alike): the value computed from
    /// `filesize_bytes` wins; when the stated one differs, the warning a merge or build reports.
    public static func corrected(stated: String, bytes: Int64) -> (filesize: String, warning: String?) {
        let filesize = format(bytes: bytes)
        guard stated != filesize else { return (filesize, nil) }
        return (filesize, "filesize \(Problem.quoted(stated)) does not match filesize_bytes \(bytes); using \"\(filesize)\"")
    }
}

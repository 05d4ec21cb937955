/// How many artifacts `shots prune` keeps, per kind: the newest `keep` (the snapshot warmer keeps
/// 4, polkashots 2), and none older than `max_age` (by block time); the newest of a kind always
/// stays, as its permalinks lead to it. Set in site.yml for every network (`retention:`) or one
/// (`networks: - retention:`).
public struct Retention: Decodable, Sendable, Equatable {
    public var keep: Int?
    /// `max_age` as written (`7d`), checked when site.yml is read.
    public var maxAge: String?

    public init(keep: Int? = nil, maxAge: String? = nil) {
        self.keep = keep
        self.maxAge = maxAge
    }

    enum CodingKeys: String, CodingKey {
        case keep, maxAge = "max_age"
    }

    public var maxAgeSeconds: Int64? { maxAge.flatMap(DurationText.seconds) }

    /// Why this retention cannot be used, or nil.
    public var problem: String? {
        if let keep, keep < 1 { return "keep: expected 1 or more (the newest of a kind always stays), found \(keep)" }
        if let maxAge, DurationText.seconds(maxAge) == nil { return "max_age: expected \(DurationText.expectation), found \"\(maxAge)\"" }
        return nil
    }
}

/// How a multipart upload of unknown length is cut. S3 allows 10,000 parts of 5 MiB to 5 GiB,
/// and nobody knows how large a snapshot will be before it is packed, so parts start small
/// (little memory, fine-grained retries) and grow in tiers. The tiers reach 5.1 TiB, S3's object
/// limit, within 10,000 parts.
///
/// Memory: `partsInFlight` parts are sent at once while the next one fills, so the upload holds
/// at most (in flight + 1) parts: 40 MiB up to 23 GiB (8 MiB parts, 4 in flight), 96 MiB up to
/// 101 GiB (32 MiB, 2 in flight), 256 MiB up to 226 GiB, then two parts of 512 MiB up to 726 GiB
/// and of 1 GiB up to 2.2 TiB: a 2 TB archive holds 2 GiB of parts at its end.
public enum PartSchedule {
    static let mebibyte = 1 << 20
    /// (parts, size of each).
    public static let tiers: [(parts: Int, size: Int)] = [
        (3000, 8 << 20), (2500, 32 << 20), (1000, 128 << 20), (1000, 512 << 20), (1500, 1 << 30), (1000, 3 << 30),
    ]

    /// The size of part `number` (1-based); nil past S3's 10,000th part.
    public static func size(ofPart number: Int) -> Int? {
        var first = 1
        for tier in tiers {
            if number < first + tier.parts { return tier.size }
            first += tier.parts
        }
        return nil
    }

    /// How many parts of this size are uploaded at once: four while they are small, fewer as they grow.
    public static func partsInFlight(partSize: Int) -> Int { max(1, min(4, (64 << 20) / partSize)) }

    /// The largest object the schedule can carry.
    public static var capacity: Int64 { tiers.reduce(0) { $0 + Int64($1.parts) * Int64($1.size) } }
}

/// A span of time as operators write it: `90s`, `30m`, `36h`, `7d`, `2w` (a number and a unit).
public enum DurationText {
    public static let expectation = "a number and a unit s, m, h, d or w, such as 36h or 7d"

    /// The span in seconds, or nil when `text` is not one.
    public static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0 else { return nil }
        let size: Int64? = switch unit {
        case "s": 1
        case "m": 60
        case "h": 3_600
        case "d": 86_400
        case "w": 604_800
        default: nil
        }
        guard let size, count <= Int64.max / size else { return nil }
        return count * size
    }
}

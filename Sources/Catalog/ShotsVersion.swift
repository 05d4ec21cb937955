import Infrastructure

/// The version of shots, for `--version` and wherever an output must change when shots does.
public enum ShotsVersion {
    public static let current = "0.1.0"
}

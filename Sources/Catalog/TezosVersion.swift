import Infrastructure

/// The node's `/version` RPC answer, as stored in `tezos_version`.
public struct TezosVersion: Sendable, Hashable {
    /// What follows `major.minor`: `"release"`, `"dev"`, or a tagged pre-release such as `{"rc": 2}`.
    public enum AdditionalInfo: Sendable, Hashable {
        case named(String)
        case tagged(String, Int64)

        /// Reads the RPC's forms: a word (`"release"`, `"dev"`) or one tag with a number (`{"rc": 2}`).
        public init?(_ value: JSONValue) {
            switch value {
            case .string(let name) where TextForm.word.accepts(name):
                self = .named(name)
            case .object(let tagged) where tagged.count == 1:
                guard let (tag, number) = tagged.members.first.map({ ($0.name, $0.value) }), TextForm.word.accepts(tag),
                      case .integer(let value) = number, value >= 0 else { return nil }
                self = .tagged(tag, value)
            default:
                return nil
            }
        }
    }

    public let implementation: String
    public let major: Int64
    public let minor: Int64
    public let additionalInfo: AdditionalInfo
    public let commitHash: String
    public let commitDate: String

    public init(implementation: String, major: Int64, minor: Int64, additionalInfo: AdditionalInfo, commitHash: String, commitDate: String) {
        self.implementation = implementation
        self.major = major
        self.minor = minor
        self.additionalInfo = additionalInfo
        self.commitHash = commitHash
        self.commitDate = commitDate
    }

    /// The major version that decides compatibility, for octez builds only: another
    /// implementation's numbering says nothing about which octez can import its data.
    public var octezMajor: Int64? { implementation == "octez" ? major : nil }

    /// How people write the version: `v17.1`, `v18.0 rc~2`, `v19.0 dev`.
    public var displayName: String {
        switch additionalInfo {
        case .named("release"): "v\(major).\(minor)"
        case .named(let name): "v\(major).\(minor) \(name)"
        case .tagged(let tag, let number): "v\(major).\(minor) \(tag)~\(number)"
        }
    }
}

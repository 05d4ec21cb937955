import ArgumentParser
import Catalog
import Pipeline
import Storage

// Flags whose values are a closed set are parsed into their types, so a wrong value is refused by
// the parser naming the flag and every accepted value, before anything runs.

extension PackProfile: ExpressibleByArgument {
    public init?(argument: String) {
        guard let profile = Self.builtIn.first(where: { $0.name == argument }) else { return nil }
        self = profile
    }

    public static var allValueStrings: [String] { builtIn.map(\.name) }
    public var defaultValueDescription: String { name }
}

extension SubstrateDatabase: ExpressibleByArgument {}

extension CannedACL: ExpressibleByArgument {}

extension HistoryMode: ExpressibleByArgument {}

extension ArtifactType: ExpressibleByArgument {}

extension ChainFamily: ExpressibleByArgument {}

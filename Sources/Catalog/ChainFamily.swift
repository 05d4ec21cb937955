import Infrastructure

/// Which chains' artifacts a site shows, or a pack profile makes: Tezos (xtz-shots) or
/// Polkadot and Kusama (polkashots).
public enum ChainFamily: String, Decodable, Sendable, CaseIterable {
    case tezos, polkadot
}

extension ChainFamily {
    /// The family and network one metadata object belongs to, before it is validated: Tezos
    /// metadata names its `chain_name`, Polkadot and Kusama metadata its `chain`.
    public static func of(metadata: JSONValue) -> (family: ChainFamily, network: String)? {
        if case .string(let name)? = metadata["chain_name"] { return (.tezos, name) }
        if case .string(let name)? = metadata["chain"] { return (.polkadot, name) }
        return nil
    }
}

/// Which chains' artifacts a site shows, or a pack profile makes: Tezos (xtz-shots) or
/// Polkadot and Kusama (polkashots).
public enum ChainFamily: String, Decodable, Sendable {
    case tezos, polkadot
}

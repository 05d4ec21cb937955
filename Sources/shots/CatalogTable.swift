import Catalog
import Infrastructure

/// Plain-text tables of a catalog.
enum CatalogTable {
    /// Per network and kind: how many artifacts, and which one the permalink serves.
    static func permalinks(_ artifacts: [Artifact]) -> String {
        let rows = CatalogSummaryRow.rows(for: artifacts)
        return PlainTable.render([["NETWORK", "PERMALINK", "COUNT", "LATEST", "HEIGHT", "VERSION", "SIZE"]] + rows.map { row in
            [row.network, row.kind.permalink, String(row.count), row.latest.filename, String(row.latest.blockHeight),
             row.latest.tezosVersion.displayName, row.latest.filesize]
        })
    }

    /// Every artifact in catalog order; `*` marks the ones a permalink serves.
    static func artifacts(_ artifacts: [Artifact]) -> String {
        let served = Set(CatalogSummaryRow.rows(for: artifacts).map(\.latest.filename))
        return PlainTable.render([[" ", "NETWORK", "FILENAME", "HEIGHT", "TIMESTAMP", "VERSION", "SIZE"]] + artifacts.map { artifact in
            [served.contains(artifact.filename) ? "*" : " ", artifact.chainName, artifact.filename, String(artifact.blockHeight),
             artifact.blockTimestamp.text, artifact.tezosVersion.displayName, artifact.filesize]
        })
    }
}

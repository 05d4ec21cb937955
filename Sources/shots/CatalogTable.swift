import Catalog

/// Plain-text tables of a catalog, for people reading a terminal or a Kubernetes log.
enum CatalogTable {
    /// Per network and kind: how many artifacts, and which one the permalink serves.
    static func permalinks(_ artifacts: [Artifact]) -> String {
        let rows = CatalogSummaryRow.rows(for: artifacts)
        return format([["NETWORK", "PERMALINK", "COUNT", "LATEST", "HEIGHT", "VERSION", "SIZE"]] + rows.map { row in
            [row.network, row.kind.permalink, String(row.count), row.latest.filename, String(row.latest.blockHeight),
             row.latest.tezosVersion.displayName, row.latest.filesize]
        })
    }

    /// Every artifact in catalog order; `*` marks the ones a permalink serves.
    static func artifacts(_ artifacts: [Artifact]) -> String {
        let served = Set(CatalogSummaryRow.rows(for: artifacts).map(\.latest.filename))
        return format([[" ", "NETWORK", "FILENAME", "HEIGHT", "TIMESTAMP", "VERSION", "SIZE"]] + artifacts.map { artifact in
            [served.contains(artifact.filename) ? "*" : " ", artifact.chainName, artifact.filename, String(artifact.blockHeight),
             artifact.blockTimestamp.text, artifact.tezosVersion.displayName, artifact.filesize]
        })
    }

    private static func format(_ lines: [[String]]) -> String {
        let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max()! }
        return lines.map { line in
            var text = line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}

import Catalog
import Infrastructure
import Foundation
import Storage

/// Some S3-compatible hosts ignore `If-None-Match` and `If-Match` and write anyway; then two
/// publishers can lose each other's base.json changes. After the artifact's `.json` is written,
/// it is written again, byte for byte, under both conditions that must fail: a host that accepts
/// either says so once in the log. (Same bytes, so even a host that ignores them changes nothing;
/// a folder store, which honours both, costs two refused writes.)
enum ConditionProbe {
    static func check(_ store: ObjectStore, key: String, data: Data, log: (String) -> Void) {
        let headers = ObjectHeaders(contentType: ObjectHeaders.contentType(forKey: key))
        var ignored: [String] = []
        if case .written? = try? store.put(key, data, headers: headers, condition: .ifAbsent) { ignored.append("If-None-Match") }
        if case .written? = try? store.put(key, data, headers: headers, condition: .ifMatch("00000000000000000000000000000000")) { ignored.append("If-Match") }
        guard !ignored.isEmpty else { return }
        log("warning: \(store.address) ignores \(ignored.joined(separator: " and ")) (conditional writes): publishers running at the same time may lose each other's base.json entries; run one at a time against this host")
    }
}

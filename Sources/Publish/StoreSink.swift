import Catalog
import Infrastructure
import Foundation
import Pipeline
import Storage

/// Pack's artifact bytes streamed straight into a store (the node's volume has no room for a
/// second copy). Written only if no object has the name; if one does with the very same bytes
/// (a retried Job), that counts as done; a different one is an error: a published artifact is
/// never replaced under downloads in flight.
final class StoreSink: ArtifactSink {
    private let upload: ObjectUpload
    private let store: ObjectStore
    private let key: String
    private(set) var alreadyPublished = false

    init(store: ObjectStore, key: String, headers: ObjectHeaders) throws(Problem) {
        self.store = store
        self.key = key
        upload = try store.upload(key, headers: headers, condition: .ifAbsent)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(Problem) { try upload.write(bytes) }

    func finish() throws(Problem) {
        guard case .conditionFailed = try upload.finish() else { return }
        guard let existing = try store.head(key), existing.etag == upload.sentETag else {
            throw Problem(origin: "\(store.address)/\(key)", reason: "a different artifact is already published under this name; it is never replaced (withdraw it first)")
        }
        alreadyPublished = true
    }

    func abort() { upload.abort() }
}

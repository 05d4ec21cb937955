import Catalog
import Infrastructure
import Pipeline
import Storage
import Foundation

/// `shots restore`: one streaming pass from the URL to DEST. The artifact is downloaded (resumed,
/// in parallel ranges when the host allows), hashed on the way, decoded and extracted into a
/// staging folder inside DEST; only when its size, hash and signature all check do the staged
/// entries replace DEST's. A failure leaves DEST as it was (or, with `--free-first`, empty but
/// for the kept paths) and removes the staging folder. The kept paths, what the operator names and
/// what a tarball never carries (`node/data/identity.json`, `keystore`...), survive as they are.
public enum Restoration {
    public static func run(_ request: RestoreRequest, progress: PackProgress, log: @escaping @Sendable (String) -> Void) throws(Problem) -> RestoreOutcome {
        try request.checkKept()
        let started = Date()
        var url = request.source
        var chosen: Artifact?
        if let picker = request.picker {
            let catalogURL = SiteAddress.join(request.source, PublishedLayout.siteCatalogKey)
            let catalog = try SignedCatalog.fetch(catalogURL, keys: request.keys, maxAgeSeconds: request.maxCatalogAgeSeconds)
            guard let artifact = picker.pick(catalog.artifacts) else {
                throw Problem(origin: URLSecrets.redacted(catalogURL), reason: "lists no \(picker.description) artifact")
            }
            log("chose \(artifact.filename) (block \(artifact.blockHeight)) from \(URLSecrets.redacted(catalogURL)), signed by key \(catalog.signedBy)")
            chosen = artifact
            url = artifact.url
        }
        let pinned = try PinnedArtifact.resolve(url)
        if pinned.url != url { log("\(URLSecrets.redacted(url)) leads to \(URLSecrets.redacted(pinned.url)): every request goes there") }
        let expected = try pinned.evidence().expectation(keys: request.keys, checksumOnly: request.checksumOnly)
        let origin = URLSecrets.redacted(pinned.url)
        try check(pinned, against: expected, chosen: chosen, keys: request.keys, log: log)

        // What a tarball never carries (the node's identity, its keys) stays as it is in DEST, with
        // what the operator names.
        let family: ChainFamily = if case .tezos = expected.artifact.kind { .tezos } else { .polkadot }
        var kept = request.kept
        for path in PackProfile.exclusions(of: family).patterns where !kept.contains(path) { kept.append(path) }
        let destination = try RestoreDestination.prepare(request.destination, kept: kept)
        defer { destination.discard() }
        try checkSpace(expected.artifact, destination: destination, freeFirst: request.freeFirst, log: log)
        var interruptToken: Int?
        if request.freeFirst {
            log("removing \(destination.path)'s contents first (--free-first)")
            interruptToken = InterruptCleanup.register { destination.restoreKept() }
            try destination.freeFirst()
        }
        defer { if let interruptToken { InterruptCleanup.forget(action: interruptToken) } }

        let download = pinned.download(connections: request.connections, log: log)
        var extracted = TarExtraction.Summary()
        let written = WrittenBytes()
        do throws(Problem) {
            download.start()
            defer { download.stop() }
            let stream = VerifiedStream(download)
            progress.start(total: pinned.size)
            stream.onChunk = { progress.update(done: $0, output: written.value) }
            if expected.artifact.isTarball {
                // Three stages at once: the download hashes, this decodes, extraction writes.
                let decoder = FrameDecoder(expected.artifact.compression, origin: origin) { () throws(Problem) in try stream.next() }
                let decoded = PrefetchedStream { () throws(Problem) in try decoder.next() }
                decoded.start()
                do throws(Problem) {
                    extracted = try TarExtraction.extract(from: { () throws(Problem) in try decoded.next() }, into: destination.tree, origin: origin) {
                        written.value = $0
                    }
                    while try decoded.next() != nil {}  // the tar's end blocks: the decoder sees the whole stream
                } catch {
                    download.stop()  // unblocks the decoder's thread, then it is waited for
                    decoded.stop()
                    throw error
                }
                decoded.stop()
                try stream.finish(expected: expected, origin: origin)
            } else {
                let file = destination.staging + "/" + pinned.filename
                let sink = try FileSink(path: file)
                do throws(Problem) {
                    while let bytes = try stream.next() { try sink.write(bytes) }
                    try sink.finish()
                } catch {
                    sink.abort()
                    throw error
                }
                try stream.finish(expected: expected, origin: origin)
                try SnapshotImport.run(request.nodeBinary, snapshot: file, into: destination, blockHash: expected.artifact.blockHash, log: log)
                unlink(file)
            }
            progress.finish(done: stream.count, output: extracted.fileBytes)
            try destination.swapIn()
        } catch {
            if request.freeFirst { destination.restoreKept() }
            throw error
        }
        return RestoreOutcome(url: pinned.url, filename: pinned.filename, size: pinned.size, sha256: expected.sha256, signedBy: expected.signedBy?.keyID,
                              entries: extracted.entries, extractedBytes: extracted.fileBytes, seconds: Date().timeIntervalSince(started),
                              resumptions: download.resumptions, refetchedBytes: download.refetchedBytes)
    }

    /// The evidence, the server's size and the catalog's entry must agree before a byte is downloaded.
    static func check(_ pinned: PinnedArtifact, against expected: ArtifactEvidence.Expectation, chosen: Artifact?, keys: TrustedKeys,
                      log: (String) -> Void) throws(Problem) {
        let origin = URLSecrets.redacted(pinned.url)
        guard pinned.size == expected.size else {
            throw Problem(origin: origin, reason: "the server has \(pinned.size) bytes, the metadata says \(expected.size)")
        }
        if let chosen, chosen.sha256 != expected.sha256 {
            throw Problem(origin: origin, reason: "the signed catalog says sha256 \(chosen.sha256), the artifact's metadata \(expected.sha256)")
        }
        if let host = keys.fetchedFromHost {
            log(host == SiteAddress.host(of: pinned.url)
                ? "warning: the public key was read from \(host), which also serves the artifact: this proves the download is intact, not who published it (pin the key with --public-key)"
                : "warning: the public key was read from \(host), trusted on first use: whoever controls that host controls what is trusted (pin the key with --public-key)")
        }
        if expected.signedBy == nil { log("warning: the signature was not checked (--checksum-only): only the checksum beside the artifact was") }
    }

    /// File bytes extracted so far, read by the progress line from the download's thread.
    private final class WrittenBytes: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: Int64 = 0
        var value: Int64 {
            get { lock.withLock { bytes } }
            set { lock.withLock { bytes = newValue } }
        }
    }

    static func checkSpace(_ artifact: PublishedArtifact, destination: RestoreDestination, freeFirst: Bool, log: (String) -> Void) throws(Problem) {
        let (needed, estimated) = SpaceCheck.needed(for: artifact)
        if estimated {
            log("warning: \(artifact.filename) was packed without its extracted size; estimating \(PackProgress.size(needed)) (\(SpaceCheck.estimatedRatio)× its compressed size, plus a margin)")
        }
        let available = try SpaceCheck.available(at: destination.path)
        // Walking DEST (an archive node's millions of files) only when the answer depends on it.
        let usage = needed > available ? destination.replacedUsage() : 0
        let figures = "\(PackProgress.size(needed)) needed, \(PackProgress.size(available)) free"
        switch SpaceCheck.verdict(needed: needed, available: available, currentUsage: usage, freeFirst: freeFirst) {
        case .fits: return
        case .fitsOnlyAfterFreeing:
            throw Problem(origin: destination.path, reason: "not enough free space beside the current contents (\(figures), the current contents take \(PackProgress.size(usage))): it fits with --free-first, which removes them before the download")
        case .doesNotFit:
            throw Problem(origin: destination.path, reason: "not enough free space (\(figures)\(usage > 0 ? ", \(PackProgress.size(usage)) more with --free-first" : "")): free some space or restore elsewhere")
        }
    }
}

import Catalog
import Infrastructure
import Foundation

/// A private folder under TMPDIR for one run of a verb that publishes (the site build, catalogs
/// read from the stores), removed when the run ends and on SIGINT/SIGTERM.
struct ScratchFolder {
    let path: String

    init(verb: String) {
        signal(SIGXFSZ, SIG_IGN)
        InterruptCleanup.install()
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("shots-\(verb)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        InterruptCleanup.register(path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        InterruptCleanup.forget(path)
    }
}

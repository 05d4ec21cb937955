import Foundation

/// Removes a run's temporary files when the process is interrupted (Ctrl-C, or the SIGTERM a
/// Kubernetes pod gets when it is evicted), so retries do not pile gigabytes of hidden partial
/// files up on the volume. Files register while they are temporary and leave once moved or removed.
public enum InterruptCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths = Set<String>()
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var actions: [Int: @Sendable () -> Void] = [:]
    nonisolated(unsafe) private static var nextAction = 0

    /// Installs the handlers (once); a second signal while cleaning up is left to its default.
    public static func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    signal(number, SIG_DFL)
                    // What cannot be left behind remotely first (an open multipart upload is
                    // aborted, or its parts would be billed forever), then local files.
                    for action in lock.withLock({ actions.sorted { $0.key < $1.key }.map(\.value) }) { action() }
                    let pending = lock.withLock { paths }
                    for path in pending { removeTree(path) }
                    FileHandle.standardError.write(Data("interrupted: removed \(pending.count) temporary file(s)\n".utf8))
                    _exit(128 + number)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    public static func register(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    public static func forget(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    /// Runs `action` if the process is interrupted before `forget(action:)` is called with the
    /// returned token. It runs on a signal-handling thread, so it may do I/O; keep it short.
    public static func register(action: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextAction += 1
            actions[nextAction] = action
            return nextAction
        }
    }
    public static func forget(action token: Int) { lock.withLock { _ = actions.removeValue(forKey: token) } }

    static func removeTree(_ path: String) {
        if unlink(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
    }
}

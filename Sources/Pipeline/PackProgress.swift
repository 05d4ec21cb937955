import Foundation

/// Progress of long work for the person or log watching: a live bar redrawn in place on a
/// terminal, a plain line every few seconds otherwise (Kubernetes logs keep every line).
public final class PackProgress: @unchecked Sendable {
    public enum Style: Sendable { case bar, lines, none }

    private let style: Style
    private let label: String
    private let interval: TimeInterval
    private let write: (String) -> Void
    private var total: Int64 = 0
    private var started = Date()
    private var lastShown = Date.distantPast
    private let lock = NSLock()

    /// `write` gets each update (stderr by default); `interval` is how often a plain line is printed.
    public init(style: Style, label: String, interval: TimeInterval = 5,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.style = style
        self.label = label
        self.interval = interval
        self.write = write
    }

    /// A bar when standard error is a terminal, plain lines when it is not.
    public static func forStandardError(label: String, quiet: Bool) -> PackProgress {
        PackProgress(style: quiet ? .none : isatty(STDERR_FILENO) == 1 ? .bar : .lines, label: label)
    }

    public func start(total: Int64) {
        lock.withLock {
            self.total = total
            started = Date()
            lastShown = started
        }
    }

    /// `done` bytes of `total` are through; `output` bytes written so far.
    public func update(done: Int64, output: Int64) {
        lock.withLock {
            let now = Date()
            switch style {
            case .none: return
            case .bar: guard now.timeIntervalSince(lastShown) >= 0.2 else { return }
            case .lines: guard now.timeIntervalSince(lastShown) >= interval else { return }
            }
            lastShown = now
            write(render(done: done, output: output, now: now))
        }
    }

    /// The closing line, with the totals.
    public func finish(done: Int64, output: Int64) {
        lock.withLock {
            guard style != .none else { return }
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let line = "\(label): \(Self.size(done)) in \(String(format: "%.1f", seconds)) s (\(Self.size(Int64(Double(done) / seconds)))/s), wrote \(Self.size(output))"
            write(style == .bar ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
        }
    }

    func render(done: Int64, output: Int64, now: Date) -> String {
        let seconds = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / seconds
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let remaining = rate > 0 && total > done ? Double(total - done) / rate : 0
        let figures = "\(Self.size(done)) of \(Self.size(total)), \(Self.size(Int64(rate)))/s, \(Self.duration(remaining)) left"
        switch style {
        case .bar:
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
            return "\r\u{1B}[2K\(label) [\(bar)] \(String(format: "%3d", Int(fraction * 100)))% \(figures)"
        case .lines, .none:
            return "\(label): \(Int(fraction * 100))%, \(figures)\n"
        }
    }

    /// Bytes in binary units for people: "812 B", "4.5 MiB", "1.6 GiB".
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? "\(whole / 3600) h \(whole % 3600 / 60) min" : whole >= 60 ? "\(whole / 60) min \(whole % 60) s" : "\(whole) s"
    }
}

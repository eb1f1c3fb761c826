import Foundation
import SystemIO

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (and not `--quiet`),
/// redrawn at most every 100 ms.
final class ProgressBar {
    private let enabled: Bool
    private var lastDraw: Date = .distantPast
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(index: Int, count: Int, n: Int, fraction: Double) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = Date()
        let overall = (Double(index) + fraction) / Double(max(count, 1))
        let width = 30
        let filled = Int((overall * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = "\r\(bar) \(Int(overall * 100))%  step \(index + 1)/\(count) n=\(n)"
        StandardStreams.writeError(text)
        drawn = true
    }

    /// Erases the bar (before other stderr output and at the end).
    func clear() {
        guard drawn else { return }
        StandardStreams.writeError("\r\u{1B}[K")
        drawn = false
    }
}

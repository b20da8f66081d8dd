import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress on standard error: a live bar redrawn in place on a terminal,
/// a plain line every few seconds otherwise, nothing when quiet.
final class ProgressLine {
    enum Mode { case live, lines, quiet }
    let mode: Mode
    private var lastLine = 0.0
    private let interval: Double
    private var drewLive = false

    init(quiet: Bool, interval: Double = 5) {
        mode = quiet ? .quiet : (isatty(2) != 0 ? .live : .lines)
        self.interval = interval
    }

    /// Shows `text` (with a bar for `fraction` on a terminal).
    func update(fraction: Double, text: String, now: Double, final: Bool = false) {
        switch mode {
        case .quiet: return
        case .live:
            let width = 24
            let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            writeStandardError("\r\u{1B}[2K[\(bar)] \(text)")
            drewLive = true
            if final { writeStandardError("\n") }
        case .lines:
            if final || now - lastLine >= interval {
                lastLine = now
                writeStandardError(text + "\n")
            }
        }
    }

    /// Formats seconds as "1m05s" or "42s".
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}


import Foundation

/// A progress bar on stderr for long runs: shown only when stderr is a terminal and the
/// run has taken more than a second; redrawn at most ten times a second.
final class ProgressBar {
  let total: Int
  let label: String
  let start = Date()
  let enabled = isatty(2) != 0
  var done = 0
  var lastDraw = Date.distantPast
  var shown = false
  let lock = NSLock()  // chains advance it from several threads

  init(total: Int, label: String) {
    self.total = max(total, 1)
    self.label = label
  }

  func advance() {
    lock.lock()
    defer { lock.unlock() }
    done += 1
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = now
    shown = true
    let fraction = Double(done) / Double(total)
    let filled = Int(fraction * 30)
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
    let rate = Double(done) / now.timeIntervalSince(start)
    let eta = Double(total - done) / max(rate, 1e-9)
    FileHandle.standardError.write(Data(String(format: "\r%@ %@ %3.0f%% %d/%d  %.0f it/s  eta %.0fs ", label, bar, fraction * 100, done, total, rate, eta).utf8))
  }

  func finish() {
    if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}

import CReadline
import Foundation

/// Reads input lines: GNU readline (editing, persistent history) on a terminal, plain
/// reading otherwise so the REPL can be driven through a pipe.
protocol LineReader {
  mutating func readLine(prompt: String) -> String?
  mutating func remember(_ entry: String)
  func save()
}

struct ReadlineReader: LineReader {
  let historyPath = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.ppl_history"

  init() {
    using_history()
    _ = read_history(historyPath)
  }

  mutating func readLine(prompt: String) -> String? {
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    return String(cString: raw)
  }

  mutating func remember(_ entry: String) {
    let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return }
    add_history(trimmed)
    _ = append_history(1, historyPath)
  }

  func save() {
    _ = write_history(historyPath)
  }
}

struct PlainReader: LineReader {
  mutating func readLine(prompt: String) -> String? { Swift.readLine(strippingNewline: true) }
  mutating func remember(_ entry: String) {}
  func save() {}
}

/// Renders diagnostics as `FILE:LINE:COL: error: MESSAGE`, the source line, and a
/// caret/underline under the span, followed by `note:` lines.
public enum DiagnosticRenderer {
  public static func render(_ d: Diagnostic) -> String {
    var out = ""
    guard let file = d.span.file else {
      out += "\(d.severity.rawValue): \(d.message)\n"
      for n in d.notes { out += "note: \(n)\n" }
      return out
    }
    let (line, column) = file.location(of: d.span.start)
    let (endLine, endColumn) = file.location(of: d.span.end)
    let (text, shownColumn) = window(file.lineText(line), around: column)
    // The underline covers the span, or the rest of the line for a multi-line span.
    let width = min(endLine == line ? max(1, endColumn - column) : max(1, text.unicodeScalars.count - shownColumn + 1),
                    max(1, text.unicodeScalars.count - shownColumn + 1))
    let gutter = String(line)
    let pad = String(text.unicodeScalars.prefix(shownColumn - 1).map { $0 == "\t" ? "\t" : " " })
    out += "\(file.name):\(line):\(column): \(d.severity.rawValue): \(d.message)\n"
    out += " \(gutter) | \(text)\n"
    out += " \(String(repeating: " ", count: gutter.count)) | \(pad)^\(String(repeating: "~", count: width - 1))\n"
    for n in d.notes { out += "note: \(n)\n" }
    return out
  }

  /// Scalars of a source line shown on either side of the column: a long line is cut
  /// to a window (so many errors on one huge line cost little), marked with "…".
  static let context = 60

  /// The part of `line` to show around `column`, with control characters drawn as
  /// their visible symbols (␀ for NUL), and the column within it.
  static func window(_ line: String, around column: Int) -> (text: String, column: Int) {
    let scalars = Array(line.unicodeScalars)
    let from = max(0, column - 1 - context), to = min(scalars.count, column - 1 + context)
    var text = from > 0 ? "…" : ""
    for s in scalars[from..<max(from, to)] { text.unicodeScalars.append(visible(s)) }
    if to < scalars.count { text += "…" }
    return (text, column - from + (from > 0 ? 1 : 0))
  }

  /// A control character as its Unicode control picture (tabs are kept for alignment).
  public static func visible(_ s: Unicode.Scalar) -> Unicode.Scalar {
    if s.value < 0x20 && s != "\t" { return Unicode.Scalar(0x2400 + s.value) ?? s }
    if s.value == 0x7F { return "\u{2421}" }
    return s
  }
}

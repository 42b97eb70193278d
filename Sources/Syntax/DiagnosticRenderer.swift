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
    let text = file.lineText(line)
    // The underline covers the span, or the rest of the line for a multi-line span.
    let width = endLine == line ? max(1, endColumn - column) : max(1, text.unicodeScalars.count - column + 1)
    let gutter = String(line)
    let pad = String(text.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
    out += "\(file.name):\(line):\(column): \(d.severity.rawValue): \(d.message)\n"
    out += " \(gutter) | \(text)\n"
    out += " \(String(repeating: " ", count: gutter.count)) | \(pad)^\(String(repeating: "~", count: width - 1))\n"
    for n in d.notes { out += "note: \(n)\n" }
    return out
  }
}

import Foundation
import Tensor

extension RuntimeBuiltins {
  static func declareIO(_ r: BuiltinRegistry) {
    r.declare("fn load_csv(path: String, header: Bool = true) -> Tensor", touchesFiles: true) { a, c in
      let path = try a.string("path")
      let text: String
      do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw c.fail("cannot read '\(path)'") }
      return .tensor(try parseCSV(text, header: try a.bool("header"), c))
    }
    r.declare("fn save_csv(t: Tensor, path: String) -> Unit", touchesFiles: true) { a, c in
      let t = try a.tensor("t"), path = try a.string("path")
      let columns = t.rank == 2 ? t.shape[1] : 1
      var text = ""
      for row in 0..<(t.count / max(columns, 1)) {
        text += (0..<columns).map { ValueFormatter.real(t.data[row * columns + $0]) }.joined(separator: ",") + "\n"
      }
      try write(text, to: path, c)
      return .unit
    }
    r.declare("fn args() -> List[String]") { _, c in .list(c.runtime.scriptArguments.map { .string($0) }) }
    r.declare("fn clock() -> Real") { _, _ in .real(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }
  }

  /// Writes a text file, or fails naming the path.
  public static func write(_ text: String, to path: String, _ c: CallContext) throws {
    do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw c.fail("cannot write '\(path)'") }
  }

  /// Parses a CSV file of numbers. The dialect: fields separated by commas, optionally
  /// in double quotes; every field a decimal number (`-1.5`, `2e-3`, `nan`, `inf`); with
  /// `header: true` the first row holds names and must not be all numbers. Anything
  /// else — an empty cell, another separator, hex, text, a ragged row — is an error
  /// naming the row and column (1-based, as a spreadsheet shows them).
  static func parseCSV(_ text: String, header: Bool, _ c: CallContext) throws -> Tensor {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    var first = 0
    if header, let names = lines.first {
      if names.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ number(field($0)) != nil }) {
        throw c.fail("load_csv: row 1 holds numbers, not column names; pass header: false for a file without a header")
      }
      first = 1
    }
    var data: [Double] = [], width: Int?
    for r in first..<lines.count {
      let fields = lines[r].split(separator: ",", omittingEmptySubsequences: false)
      if let width, fields.count != width {
        throw c.fail("load_csv: row \(r + 1) has \(fields.count) fields, the rows before it \(width)")
      }
      width = fields.count
      for (j, raw) in fields.enumerated() {
        let f = field(raw)
        guard let x = number(f) else {
          let what = f.isEmpty ? "is empty" : "is '\(f.prefix(40))', not a number"
          let hint = f.contains(";") || f.contains("\t") ? " (fields are separated by commas)" : ""
          throw c.fail("load_csv: row \(r + 1), column \(j + 1) \(what)\(hint)")
        }
        data.append(x)
      }
    }
    return Tensor(shape: [lines.count - first, width ?? 0], data: data)
  }

  /// A field without surrounding spaces and double quotes.
  static func field(_ raw: Substring) -> Substring {
    var f = raw.drop { $0 == " " }
    while f.last == " " { f = f.dropLast() }
    if f.count >= 2, f.first == "\"", f.last == "\"" { f = f.dropFirst().dropLast() }
    return f
  }

  /// A decimal number, `nan` or `inf` (not hex, which Double would read).
  static func number(_ f: Substring) -> Double? {
    let lower = f.lowercased()
    if ["nan", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(lower) { return Double(lower) }
    guard !f.isEmpty, f.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
    return Double(f)
  }
}

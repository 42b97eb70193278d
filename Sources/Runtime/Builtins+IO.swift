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

  /// Parses comma-separated numbers; columns holding anything non-numeric are dropped.
  static func parseCSV(_ text: String, header: Bool, _ c: CallContext) throws -> Tensor {
    var rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    if header, !rows.isEmpty { rows.removeFirst() }
    guard let width = rows.first?.count else { return Tensor(shape: [0, 0], data: []) }
    guard rows.allSatisfy({ $0.count == width }) else { throw c.fail("load_csv: rows have different numbers of columns") }
    let parsed = rows.map { $0.map { Double($0.trimmingCharacters(in: .whitespaces)) } }
    let numeric = (0..<width).filter { j in parsed.allSatisfy { $0[j] != nil } }
    var data: [Double] = []
    data.reserveCapacity(rows.count * numeric.count)
    for row in parsed { for j in numeric { data.append(row[j] ?? .nan) } }
    return Tensor(shape: [rows.count, numeric.count], data: data)
  }
}

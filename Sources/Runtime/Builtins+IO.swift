import Foundation
import Tensor

extension RuntimeBuiltins {
  /// The builtins that read or write files; removed when file I/O is not allowed.
  public static let fileBuiltins: Set<String> = ["load_csv", "save_csv", "plot_hist", "plot_line", "plot_scatter", "plot_images"]

  static func registerIO(_ r: BuiltinRegistry) {
    r.register("load_csv(String, Bool)") { a, c in
      guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
      let path = try a[0].asString()
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw c.fail("cannot read '\(path)'")
      }
      return .tensor(try parseCSV(text, header: try a[1].asBool(), c))
    }
    r.register("save_csv(Tensor, String)") { a, c in
      guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
      let t = try a[0].asTensor(), path = try a[1].asString()
      let columns = t.rank == 2 ? t.shape[1] : 1
      var text = ""
      for row in 0..<(t.count / max(columns, 1)) {
        text += (0..<columns).map { ValueFormatter.real(t.data[row * columns + $0]) }.joined(separator: ",") + "\n"
      }
      do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw c.fail("cannot write '\(path)'") }
      return .unit
    }
    r.register("args()") { _, c in .list(c.runtime.scriptArguments.map { .string($0) }) }
    r.register("clock()") { _, _ in .real(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }
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

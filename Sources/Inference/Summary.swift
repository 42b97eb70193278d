import Foundation
import Runtime

/// Posterior summaries: a table for people, CSV and JSON for other tools.
enum Summary {
  static func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

  static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : ValueFormatter.real(x) }

  /// address, mean, sd, 5%, 50%, 95%, ESS, R-hat ("-" where undefined).
  static func table(_ p: Posterior) throws -> String {
    let columns = ["address", "mean", "sd", "5%", "50%", "95%", "ESS", "R-hat"]
    var rows: [[String]] = []
    func row(_ name: String, _ values: [Double], ess: Double, rhat: Double) -> [String] {
      [name, number(p.mean(of: values)), number(p.sd(of: values)), number(p.quantile(of: values, 0.05)),
       number(p.quantile(of: values, 0.5)), number(p.quantile(of: values, 0.95)), number(ess),
       rhat.isNaN ? "-" : String(format: "%.3f", rhat)]
    }
    for a in p.scalarAddresses {
      rows.append(row(a.description, try p.values(a), ess: try p.ess(a), rhat: try p.rhat(a)))
    }
    // A tensor-valued choice gets a row per element, named as it is indexed: eta[3], w[1, 2].
    for a in p.tensorAddresses {
      let all = try p.valueTensor(a), shape = Array(all.shape.dropFirst())
      let width = all.count / max(p.count, 1)
      for (e, d) in try p.elementDiagnostics(a).enumerated() {
        let column = (0..<p.count).map { all.data[$0 * width + e] }
        rows.append(row("\(a)[\(index(e, shape))]", column, ess: d.ess, rhat: d.rhat))
      }
    }
    let widths = columns.indices.map { i in max(columns[i].count, rows.map { $0[i].count }.max() ?? 0) }
    var out = zip(columns, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n"
    for row in rows { out += zip(row, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n" }
    if let s = p as? Samples {
      out += "\(s.chains.count) chain\(s.chains.count == 1 ? "" : "s") of \(s.chains.first?.count ?? 0) draws"
      out += s.divergences > 0 ? ", \(s.divergences) divergent transition\(s.divergences == 1 ? "" : "s")\n" : "\n"
    } else {
      out += "log evidence: \(number(p.logEvidence)), \(p.count) traces\n"
    }
    return out
  }

  /// The multi-index of flat element e in a row-major shape, as "i" or "i, j".
  static func index(_ e: Int, _ shape: [Int]) -> String {
    var rest = e, parts: [Int] = []
    for n in shape.reversed() {
      parts.append(rest % max(n, 1))
      rest /= max(n, 1)
    }
    return parts.reversed().map(String.init).joined(separator: ", ")
  }

  /// One row per trace: its normalized weight and every scalar choice.
  static func csv(_ p: Posterior) throws -> String {
    let addresses = p.scalarAddresses
    var out = (["weight"] + addresses.map(\.description)).joined(separator: ",") + "\n"
    let columns = try addresses.map { try p.values($0) }
    for (i, w) in p.weights.enumerated() {
      out += ([ValueFormatter.real(w)] + columns.map { ValueFormatter.real($0[i]) }).joined(separator: ",") + "\n"
    }
    return out
  }

  static func json(_ p: Posterior) throws -> String {
    let addresses = p.scalarAddresses
    var object: [String: Any] = ["log_evidence": p.logEvidence.isFinite ? p.logEvidence : NSNull(), "weights": p.weights]
    var choices: [String: [Double]] = [:]
    for a in addresses { choices[a.description] = try p.values(a) }
    object["choices"] = choices
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

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
    for a in p.scalarAddresses {
      let rhat = try p.rhat(a)
      rows.append([a.description, number(try p.mean(a)), number(try p.sd(a)), number(try p.quantile(a, 0.05)),
                   number(try p.quantile(a, 0.5)), number(try p.quantile(a, 0.95)), number(try p.ess(a)),
                   rhat.isNaN ? "-" : String(format: "%.3f", rhat)])
    }
    let widths = columns.indices.map { i in max(columns[i].count, rows.map { $0[i].count }.max() ?? 0) }
    var out = zip(columns, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n"
    for row in rows { out += zip(row, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n" }
    if let s = p as? Samples {
      out += "\(s.chains.count) chain\(s.chains.count == 1 ? "" : "s") of \(s.chains.first?.count ?? 0) draws"
      out += s.divergences > 0 ? ", \(s.divergences) divergent transition\(s.divergences == 1 ? "" : "s")\n" : "\n"
    } else {
      out += "log evidence: \(number(p.logEvidence)), \(p.traces.count) traces\n"
    }
    return out
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

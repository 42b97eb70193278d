import Foundation
import Runtime

/// Posterior summaries: a table for people, CSV and JSON for other tools.
enum Summary {
  static func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

  static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : ValueFormatter.real(x) }

  /// A row per scalar choice and per element of a tensor-valued choice (`eta[3]`,
  /// `w[1, 2]`) among the selected ones: address, mean, sd, 5%, 50%, 95%, ESS, R-hat for
  /// weighted traces; for MCMC samples also the MCSE of the mean, and the bulk and tail
  /// ESS, as Stan and ArviZ report them. "-" where undefined.
  static func table(_ p: Posterior, _ selection: Selection = Selection(all: true)) throws -> String {
    let samples = p as? Samples
    let columns = samples == nil ? ["address", "mean", "sd", "5%", "50%", "95%", "ESS", "R-hat"]
      : ["address", "mean", "MCSE", "sd", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R-hat"]
    var rows: [[String]] = []
    for r in try elements(p, selection) {
      let rhat = r.diagnostics.rhat.isNaN ? "-" : String(format: "%.3f", r.diagnostics.rhat)
      let quantiles = [0.05, 0.5, 0.95].map { number(p.quantile(of: r.values, $0)) }
      let (mean, sd) = (number(p.mean(of: r.values)), number(p.sd(of: r.values)))
      if samples == nil {
        rows.append([r.name, mean, sd] + quantiles + [number(r.diagnostics.bulkESS), rhat])
      } else {
        rows.append([r.name, mean, dash(r.diagnostics.mcse), sd] + quantiles
          + [dash(r.diagnostics.bulkESS, "%.0f"), dash(r.diagnostics.tailESS, "%.0f"), rhat])
      }
    }
    let widths = columns.indices.map { i in max(columns[i].count, rows.map { $0[i].count }.max() ?? 0) }
    var out = zip(columns, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n"
    for row in rows { out += zip(row, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n" }
    if let s = samples {
      out += "\(s.chains.count) chain\(s.chains.count == 1 ? "" : "s") of \(s.chains.first?.count ?? 0) draws"
      out += s.divergences > 0 ? ", \(s.divergences) divergent transition\(s.divergences == 1 ? "" : "s")\n" : "\n"
    } else {
      out += "log evidence: \(number(p.logEvidence)), \(p.count) traces\n"
    }
    return out
  }

  /// Each scalar choice and each element of a tensor-valued choice among the selected
  /// ones, in the summary's order: its name, its values over the traces, its diagnostics.
  static func elements(_ p: Posterior, _ selection: Selection = Selection(all: true)) throws
    -> [(name: String, values: [Double], diagnostics: Diagnostics.Element)] {
    var out: [(name: String, values: [Double], diagnostics: Diagnostics.Element)] = []
    for a in p.scalarAddresses + p.tensorAddresses where selection.contains(a) {
      let all = try p.valueTensor(a), shape = Array(all.shape.dropFirst())
      let width = all.count / max(p.count, 1)
      for (e, d) in try p.elementDiagnostics(a).enumerated() {
        out.append((elementName(a, e, shape), (0..<p.count).map { all.data[$0 * width + e] }, d))
      }
    }
    return out
  }

  /// The summary as data: a record per row of the table, for checks and plots in programs.
  static func records(_ p: Posterior, _ selection: Selection) throws -> Value {
    .list(try elements(p, selection).map { r in
      let d = r.diagnostics
      let fields: [(String, Value)] = [("ess_bulk", .real(d.bulkESS)), ("ess_tail", .real(d.tailESS)), ("mcse", .real(d.mcse)),
                                       ("mean", .real(p.mean(of: r.values))), ("name", .string(r.name)), ("rhat", .real(d.rhat)),
                                       ("sd", .real(p.sd(of: r.values)))]
      assert(fields.map(\.0) == fields.map(\.0).sorted(), "record fields are sorted by name")
      return .record(names: fields.map(\.0), values: fields.map(\.1))
    })
  }

  static let recordType = "List[{ess_bulk: Real, ess_tail: Real, mcse: Real, mean: Real, name: String, rhat: Real, sd: Real}]"

  /// A statistic as a number ("-" where undefined).
  static func dash(_ x: Double, _ format: String = "%.4g") -> String { x.isNaN ? "-" : String(format: format, x) }

  /// How tables, files and warnings name element e of a choice of this shape: the
  /// address for a scalar choice, `eta[3]` or `w[1, 2]` for a tensor's.
  static func elementName(_ a: Address, _ e: Int, _ shape: [Int]) -> String {
    shape.isEmpty ? a.description : "\(a)[\(index(e, shape))]"
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

  /// One row per trace: its normalized weight and every scalar choice. MCMC samples
  /// have a row per draw with its chain and draw number (from 0), every element of
  /// every choice (`eta[0]`, as the summary names them) and, for NUTS, the sampler
  /// statistics under ArviZ's names: a long table pandas and ArviZ read as it is.
  static func csv(_ p: Posterior) throws -> String {
    guard let s = p as? Samples else {
      let addresses = p.scalarAddresses
      var out = (["weight"] + addresses.map(\.description)).joined(separator: ",") + "\n"
      let columns = try addresses.map { try p.values($0) }
      for (i, w) in p.weights.enumerated() {
        out += ([ValueFormatter.real(w)] + columns.map { ValueFormatter.real($0[i]) }).joined(separator: ",") + "\n"
      }
      return out
    }
    let draws = s.chains.first?.count ?? 0
    var names = ["chain", "draw"], columns: [[Double]] = [
      (0..<p.count).map { Double($0 / max(draws, 1)) }, (0..<p.count).map { Double($0 % max(draws, 1)) },
    ]
    for a in p.scalarAddresses + p.tensorAddresses {
      let all = try p.valueTensor(a), shape = Array(all.shape.dropFirst())
      let width = all.count / max(p.count, 1)
      for e in 0..<width {
        names.append(elementName(a, e, shape))
        columns.append((0..<p.count).map { all.data[$0 * width + e] })
      }
    }
    for (name, values) in s.statistics?.columns ?? [] {
      names.append(name)
      columns.append(values)
    }
    var out = names.map(csvField).joined(separator: ",") + "\n"
    for i in 0..<p.count {
      out += columns.enumerated().map { k, c in k < 2 ? String(Int(c[i])) : ValueFormatter.real(c[i]) }.joined(separator: ",") + "\n"
    }
    return out
  }

  /// A CSV header field, quoted where it holds a comma (`w[1, 2]`).
  static func csvField(_ name: String) -> String {
    name.contains(",") || name.contains("\"") ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
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

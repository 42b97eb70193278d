import Tensor

/// Formats values as `print` and `str` show them (SPEC §3, "Printing").
public enum ValueFormatter {
  /// Shortest round-tripping decimal, always with a `.` or an exponent.
  public static func real(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return "\(x)"
  }

  public static func format(_ v: Value, topLevel: Bool = true) -> String {
    switch v {
    case .int(let i): return String(i)
    case .real(let r): return real(r)
    case .bool(let b): return b ? "true" : "false"
    case .string(let s): return topLevel ? s : quoted(s)
    case .unit: return "()"
    case .list(let xs): return "[" + xs.map { format($0, topLevel: false) }.joined(separator: ", ") + "]"
    case .tuple(let xs):
      if xs.count == 1 { return "(" + format(xs[0], topLevel: false) + ",)" }
      return "(" + xs.map { format($0, topLevel: false) }.joined(separator: ", ") + ")"
    case .record(let names, let values):
      return "{" + zip(names, values).map { "\($0): \(format($1, topLevel: false))" }.joined(separator: ", ") + "}"
    case .tensor(let t): return tensor(t)
    case .closure(let c): return c.code.isGen ? "<gen \(c.code.name)>" : "<fn \(c.code.name)>"
    case .builtin(let b): return "<builtin \(b.name)>"
    case .dist(let d): return "<dist \(d.name)>"
    case .trackedDist(let t): return "<dist \(t.primal.name)>"
    case .tracked(let t): return t.value.rank == 0 ? real(t.value.data[0]) : tensor(t.value)
    case .address(let a): return a.description
    case .object(let o): return o.formatted()
    }
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }

  /// `tensor([[1.0, 2.0], [3.0, 4.0]])`; axes longer than 10 show their first and last
  /// three entries around `…`.
  public static func tensor(_ t: Tensor) -> String {
    if t.rank == 0 { return "tensor(\(real(t.data.first ?? 0)))" }
    let strides = t.strides
    func axis(_ d: Int, _ offset: Int) -> String {
      let n = t.shape[d]
      let indices: [Int?] = n > 10 ? Array(0..<3) + [nil] + Array((n - 3)..<n) : Array(0..<n)
      let parts = indices.map { i -> String in
        guard let i else { return "…" }
        return d == t.rank - 1 ? real(t.data[offset + i]) : axis(d + 1, offset + i * strides[d])
      }
      return "[" + parts.joined(separator: ", ") + "]"
    }
    return "tensor(" + axis(0, 0) + ")"
  }
}

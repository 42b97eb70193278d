import Tensor

/// A value a distribution produces or scores.
public enum Outcome: Sendable, Equatable {
  case real(Double)
  case int(Int)
  case bool(Bool)
  case tensor(Tensor)

  /// The numeric value of a scalar outcome (bernoulli: 1 for true).
  public var number: Double? {
    switch self {
    case .real(let r): return r
    case .int(let i): return Double(i)
    case .bool(let b): return b ? 1 : 0
    case .tensor: return nil
    }
  }

  /// A scalar draw of a family as an outcome of the family's kind.
  static func scalar(_ x: Double, _ kind: Family.Kind) -> Outcome {
    switch kind {
    case .real: return .real(x)
    case .int: return .int(Int(x))
    case .bool: return .bool(x == 1)
    }
  }
}

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

  /// An integer family's draw as an Int, saturating beyond the Int range.
  public static func integer(_ x: Double) -> Int { Int(saturating: x) }

  /// A scalar draw of a family as an outcome of the family's kind.
  public static func scalar(_ x: Double, _ kind: Family.Kind) -> Outcome {
    switch kind {
    case .real: return .real(x)
    case .int: return .int(Int(saturating: x))
    case .bool: return .bool(x == 1)
    }
  }
}

extension Int {
  /// The Int of a whole Double, saturating at the ends of the range (NaN gives 0): draws
  /// of integer families beyond the Int range (poisson(1e300)) cannot trap.
  init(saturating x: Double) {
    if x.isNaN {
      self = 0
    } else if x >= 9.223372036854775807e18 {
      self = .max
    } else if x <= -9.223372036854775808e18 {
      self = .min
    } else {
      self = Int(x)
    }
  }
}

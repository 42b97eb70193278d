import Foundation

/// Where a family's draws lie, as a value. Scoring outside it (−inf), validation of
/// bounds given as parameters, finite supports for enumeration and Gibbs, and the
/// transform gradient-based kernels move in (`Support+Unconstraining.swift`) are all
/// derived from it.
public enum Support: Sendable, Equatable {
  /// Real numbers in [lower, upper]; either bound may be infinite or a parameter.
  case interval(Bound, Bound)
  /// Integers in [lower, upper].
  case integers(Bound, Bound)
  /// false and true, scored as 0 and 1.
  case boolean

  /// A bound: a number, or the value of one of the family's parameters.
  public enum Bound: Sendable, Equatable {
    case value(Double)
    case parameter(Int)

    public func resolve(_ p: Params) -> Double {
      switch self {
      case .value(let v): return v
      case .parameter(let k): return p[k]
      }
    }
  }

  public static let real = Support.interval(.value(-.infinity), .value(.infinity))
  public static let positive = Support.interval(.value(0), .value(.infinity))
  public static let unitInterval = Support.interval(.value(0), .value(1))
  public static let naturals = Support.integers(.value(0), .value(.infinity))

  /// What a draw is.
  public var kind: Family.Kind {
    switch self {
    case .interval: return .real
    case .integers: return .int
    case .boolean: return .bool
    }
  }

  /// The bounds at parameters p (booleans: 0 and 1).
  public func bounds(_ p: Params) -> (lower: Double, upper: Double) {
    switch self {
    case .interval(let a, let b), .integers(let a, let b): return (a.resolve(p), b.resolve(p))
    case .boolean: return (0, 1)
    }
  }

  /// Whether x is a possible draw at parameters p (NaN is not).
  public func contains(_ x: Double, _ p: Params) -> Bool {
    switch self {
    case .interval(let a, let b): return x >= a.resolve(p) && x <= b.resolve(p)
    case .integers(let a, let b): return x >= a.resolve(p) && x <= b.resolve(p) && x == x.rounded()
    case .boolean: return x == 0 || x == 1
    }
  }

  /// Finite supports longer than this are not listed (enumeration could not visit them).
  public static let maxListed = 1 << 20

  /// Every value of a finite support in increasing order; nil for continuous, infinite
  /// or longer than `maxListed` supports.
  public func values(_ p: Params) -> [Double]? {
    switch self {
    case .interval: return nil
    case .boolean: return [0, 1]
    case .integers:
      let (lo, hi) = bounds(p)
      guard lo.isFinite, hi.isFinite, hi - lo < Double(Support.maxListed) else { return nil }
      return (Int(lo)...Int(hi)).map(Double.init)
    }
  }

  /// Why `values` is nil at p: "has no finite support", or that it is too long to list.
  public func listingProblem(_ p: Params) -> String {
    if case .integers = self, bounds(p).lower.isFinite, bounds(p).upper.isFinite {
      return "has a support too large to list (over \(Support.maxListed) values)"
    }
    return "has no finite support"
  }

  /// Whether a bound is given by a parameter (`uniform(a, b)`, not `gamma`'s 0).
  public var hasParameterBounds: Bool {
    switch self {
    case .interval(let a, let b), .integers(let a, let b):
      if case .parameter = a { return true }
      if case .parameter = b { return true }
      return false
    case .boolean: return false
    }
  }

  /// The order of bounds given as parameters, checked when a distribution is made.
  func checkBounds(_ p: Params, _ family: Family) throws {
    switch self {
    case .interval(let a, let b), .integers(let a, let b):
      let (lo, hi) = (a.resolve(p), b.resolve(p))
      guard case .parameter(let i) = a, case .parameter(let j) = b else { return }
      let ok = self.kind == .real ? lo < hi : lo <= hi
      guard ok else {
        let names = family.parameters.map(\.name)
        let relation = self.kind == .real ? "less than" : "at most"
        throw DistributionError.invalidParameter("\(family.name): parameter \(names[i]) must be \(relation) \(names[j]), got \(names[i]) = \(Family.show(lo, integer: kind == .int)), \(names[j]) = \(Family.show(hi, integer: kind == .int))")
      }
    case .boolean: return
    }
  }
}

import Tensor

/// A univariate family, as the rest of the system sees it: a handle on its declaration
/// (`FamilyDefinition`, one file per family under `Families/`) with everything derived
/// from it. Tensor parameters apply the scalar kernels elementwise (`Distribution.product`).
public struct Family: Sendable, Hashable, CustomStringConvertible {
  public let definition: any FamilyDefinition

  public init(_ definition: any FamilyDefinition) { self.definition = definition }

  /// What a draw is.
  public enum Kind: Sendable { case real, int, bool }

  public var name: String { definition.name }
  public var description: String { name }
  public var parameters: [FamilyParameter] { definition.parameters }
  public var arity: Int { definition.parameters.count }
  public var support: Support { definition.support }
  public var kind: Kind { definition.support.kind }
  public var reparameterization: Reparameterization? { definition.reparameterization }
  public var measureValued: MeasureValuedDerivative? { definition.measureValued }

  /// The family of a builtin name (`Family.named("normal")`).
  public static func named(_ name: String) -> Family? { byName[name] }
  private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

  /// The normalized log-density (or log-mass) at `x`; −inf outside the support, NaN
  /// at NaN (a NaN value is a bug in the model, which the handlers report).
  @inline(__always)
  public func logpdf(_ p: Params, _ x: Double) -> Double {
    if definition.support.contains(x, p) { return definition.logDensity(p, x) }
    return x.isNaN ? .nan : -.infinity
  }

  /// ∂logpdf/∂parameters and ∂logpdf/∂x at a point of the support.
  public func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { definition.gradient(p, x) }

  /// One draw (discrete draws as their numeric value; bernoulli as 0 or 1).
  @inline(__always)
  public func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { definition.sample(p, &rng) }

  /// The finite support at p, or nil (continuous, infinite, or too long to list).
  public func support(_ p: Params) -> [Double]? { definition.support.values(p) }

  /// Checks one set of parameters against their constraints and the support's bounds,
  /// naming the family and the parameter in the error.
  public func validate(_ p: Params) throws {
    for (i, parameter) in definition.parameters.enumerated() {
      if let problem = parameter.constraint.problem(p[i]) {
        throw DistributionError("\(name): parameter \(parameter.name) \(problem), got \(Family.show(p[i], integer: parameter.isInteger))")
      }
    }
    try definition.support.checkBounds(p, self)
  }

  /// A parameter value as messages show it.
  static func show(_ x: Double, integer: Bool) -> String {
    integer && abs(x) < 1e15 && x == x.rounded() ? String(Int(x)) : "\(x)"
  }

  public static func == (a: Family, b: Family) -> Bool {
    ObjectIdentifier(type(of: a.definition)) == ObjectIdentifier(type(of: b.definition))
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(type(of: definition))) }
}

extension ParameterConstraint {
  /// What is wrong with a value, or nil when it satisfies the constraint.
  func problem(_ x: Double) -> String? {
    switch self {
    case .finite: return x.isFinite ? nil : "must be finite"
    case .positive: return x > 0 && x.isFinite ? nil : "must be positive and finite"
    case .nonNegative: return x >= 0 && x.isFinite ? nil : "must be non-negative and finite"
    case .probability: return x >= 0 && x <= 1 ? nil : "must lie in [0, 1]"
    case .positiveProbability: return x > 0 && x <= 1 ? nil : "must lie in (0, 1]"
    case .notNaN: return x.isNaN ? "must not be NaN" : nil
    case .integer: return x == x.rounded() && abs(x) < 1e15 ? nil : "must be an integer"
    case .nonNegativeInteger: return x == x.rounded() && x >= 0 && x < 1e15 ? nil : "must be a non-negative integer"
    }
  }
}

/// Up to three real parameters, stored inline (no allocation per distribution).
public struct Params: Sendable, Equatable {
  public var a: Double
  public var b: Double
  public var c: Double

  public init(_ a: Double, _ b: Double = 0, _ c: Double = 0) {
    self.a = a
    self.b = b
    self.c = c
  }

  public subscript(i: Int) -> Double {
    get { i == 0 ? a : i == 1 ? b : c }
    set {
      switch i {
      case 0: a = newValue
      case 1: b = newValue
      default: c = newValue
      }
    }
  }
}

/// Invalid parameters are reported naming the distribution and the parameter.
public struct DistributionError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

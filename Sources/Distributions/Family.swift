import Tensor

/// A univariate family, as the rest of the system sees it: a handle on its declaration
/// (`FamilyDefinition`, one file per family under `Families/`) with everything derived
/// from it. Tensor parameters apply the scalar kernels elementwise (`Distribution.product`).
public struct Family: Sendable, Hashable, CustomStringConvertible {
  /// The declaration and what is derived from it, made once per family (the `static let`s
  /// in `Families/`) and never freed, so a `Family` is one pointer that copies without
  /// reference counting: distributions are built and scored in the innermost loops.
  private unowned(unsafe) let record: Record

  final class Record: Sendable {
    let definition: any FamilyDefinition
    let arity: Int
    let constraints: (ParameterConstraint, ParameterConstraint, ParameterConstraint)
    let support: Support
    let isImproper: Bool

    init(_ definition: any FamilyDefinition) {
      self.definition = definition
      isImproper = definition.isImproper
      let parameters = definition.parameters
      arity = parameters.count
      let c = parameters.map(\.constraint) + Array(repeating: ParameterConstraint.finite, count: max(0, 3 - parameters.count))
      constraints = (c[0], c[1], c[2])
      support = definition.support
    }
  }

  /// A family's handle; made once, by the family's `static let`.
  init(_ definition: any FamilyDefinition) {
    let record = Record(definition)
    _ = Unmanaged.passRetained(record)  // kept for the life of the process (see `record`)
    self.record = record
  }

  public var definition: any FamilyDefinition { record.definition }
  /// The number of parameters.
  public var arity: Int { record.arity }
  /// The support, read at every log-density and draw.
  public var support: Support { record.support }

  /// What a draw is.
  public enum Kind: Sendable { case real, int, bool }

  public var name: String { definition.name }
  public var description: String { name }
  public var parameters: [FamilyParameter] { definition.parameters }
  public var kind: Kind { support.kind }
  public var reparameterization: Reparameterization? { definition.reparameterization }
  public var measureValued: MeasureValuedDerivative? { definition.measureValued }
  /// Whether the family is an improper prior, scored but never drawn (`flat`).
  public var isImproper: Bool { record.isImproper }

  /// Throws for a draw of a discrete family that no Int holds (a poisson whose rate is
  /// beyond 2^63, where the sampler saturates): an error, not a wrong count.
  public func checkCount(_ x: Double) throws {
    guard kind == .int, !(abs(x) < 9.2e18) else { return }
    throw DistributionError("\(name): a draw is beyond the range of Int (about 9.2e18); its parameters make counts that large: rescale the model")
  }

  /// The error for drawing from an improper family.
  public var improperDrawError: DistributionError {
    DistributionError("\(name) is an improper prior: it has no draws (and no normalizing constant), so it serves only where the density is needed up to a constant — nuts, hmc, mala, or a loss to optimize; give this choice a proper prior, or a value with init: or a constraint")
  }

  /// The family of a builtin name (`Family.named("normal")`).
  public static func named(_ name: String) -> Family? { byName[name] }
  private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

  /// The normalized log-density (or log-mass) at `x`; −inf outside the support, NaN
  /// at NaN (a NaN value is a bug in the model, which the handlers report).
  @inline(__always)
  public func logpdf(_ p: Params, _ x: Double) -> Double {
    if support.contains(x, p) { return record.definition.logDensity(p, x) }
    return x.isNaN ? .nan : -.infinity
  }

  /// ∂logpdf/∂parameters and ∂logpdf/∂x at a point of the support.
  public func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { record.definition.gradient(p, x) }

  /// One draw (discrete draws as their numeric value; bernoulli as 0 or 1).
  @inline(__always)
  public func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { record.definition.sample(p, &rng) }

  /// The finite support at p, or nil (continuous, infinite, or too long to list).
  public func support(_ p: Params) -> [Double]? { support.values(p) }

  /// Checks one set of parameters against their constraints and the support's bounds,
  /// naming the family and the parameter in the error.
  public func validate(_ p: Params) throws {
    for i in 0..<arity {
      let constraint = self.constraint(i)
      if constraint.problem(p[i]) != nil {
        let parameter = definition.parameters[i]
        throw DistributionError.invalidParameter("\(name): parameter \(parameter.name) \(constraint.problem(p[i]) ?? ""), got \(Family.show(p[i], integer: parameter.isInteger))")
      }
    }
    if support.hasParameterBounds { try support.checkBounds(p, self) }
  }

  /// Checks the parameters of many distributions of this family at once, given as one
  /// array per parameter of one element (shared) or `count`: column by column, and
  /// element by element (as `validate`, for its message) only where a column fails or
  /// the support's bounds depend on the parameters.
  public func validate(columns: [[Double]], count: Int) throws {
    let admitted = columns.indices.allSatisfy { i in
      let constraint = self.constraint(i)
      return columns[i].allSatisfy { constraint.problem($0) == nil }
    }
    if admitted && !support.hasParameterBounds { return }
    try ElementParameters(columns: columns, count: count).forEach { p, _ in try validate(p) }
  }

  /// What parameter `i` must satisfy (read from the record's inline tuple).
  @inline(__always)
  private func constraint(_ i: Int) -> ParameterConstraint {
    i == 0 ? record.constraints.0 : i == 1 ? record.constraints.1 : record.constraints.2
  }

  /// A parameter value as messages show it.
  static func show(_ x: Double, integer: Bool) -> String {
    integer && abs(x) < 9.2e18 && x == x.rounded() ? String(Int(x)) : "\(x)"
  }

  public static func == (a: Family, b: Family) -> Bool { a.record === b.record }

  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(record)) }
}

extension ParameterConstraint {
  /// What is wrong with a value, or nil when it satisfies the constraint.
  @inline(__always)
  func problem(_ x: Double) -> String? {
    switch self {
    case .finite: return x.isFinite ? nil : "must be finite"
    case .positive: return x > 0 && x.isFinite ? nil : "must be positive and finite"
    case .nonNegative: return x >= 0 && x.isFinite ? nil : "must be non-negative and finite"
    case .probability: return x >= 0 && x <= 1 ? nil : "must lie in [0, 1]"
    case .positiveProbability: return x > 0 && x <= 1 ? nil : "must lie in (0, 1]"
    case .notNaN: return x.isNaN ? "must not be NaN" : nil
    case .integer:
      return x == x.rounded() ? abs(x) < 1e15 ? nil : "must be an integer below 10^15 in magnitude" : "must be an integer"
    case .nonNegativeInteger:
      return x == x.rounded() && x >= 0 ? x < 1e15 ? nil : "must be below 10^15" : "must be a non-negative integer"
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
  /// A parameter value outside its domain (`normal(0, -1)`), as opposed to a misuse
  /// such as a shape mismatch: gradient kernels read the first as zero density.
  public var isInvalidParameter = false
  public init(_ message: String) { self.message = message }

  /// An error for a parameter value outside its domain.
  public static func invalidParameter(_ message: String) -> DistributionError {
    var e = DistributionError(message)
    e.isInvalidParameter = true
    return e
  }
}

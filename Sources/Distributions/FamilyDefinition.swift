import Tensor

/// One univariate family of distributions, declared in one file under `Families/`
/// (`Families/Normal.swift`): its parameters and their constraints, its support, its
/// log-density and gradient, its sampler, and the gradient estimators it admits. Every
/// requirement but the fused kernel has no default, so a family that forgets a piece
/// does not compile; the builtin, its checker signature, validation, enumeration and
/// NUTS's unconstraining transform are all derived from the declaration.
///
/// Parameters arrive inline (`Params`: up to three numbers); discrete draws are passed
/// as their numeric value (a Bool as 0 or 1).
public protocol FamilyDefinition: Sendable {
  /// The builtin's name as programs write it (`normal`).
  var name: String { get }
  /// The parameters in order: names (for named arguments and messages) and constraints.
  var parameters: [FamilyParameter] { get }
  /// Where draws lie. Values outside it score −inf without calling `logDensity`.
  var support: Support { get }
  /// The normalized log-density (or log-mass) at a point of the support, stable in the tails.
  func logDensity(_ p: Params, _ x: Double) -> Double
  /// ∂ logDensity/∂parameters and ∂/∂x at a point of the support (∂x is 0 for discrete
  /// families, and integer parameters get 0).
  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double)
  /// One draw.
  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double
  /// How a draw is written as a differentiable function of parameter-free noise
  /// (`.reparam`); nil where it cannot be.
  var reparameterization: Reparameterization? { get }
  /// The parts of the measure-valued derivative (`.mvd`); nil where it does not apply.
  var measureValued: MeasureValuedDerivative? { get }
  /// Whether the density does not integrate to one (`flat`): such a family is never
  /// drawn from, only scored. False unless a family says otherwise.
  var isImproper: Bool { get }
  /// The log-density of an elementwise product and its gradients in one pass, for the
  /// families models score in bulk; nil where the generic loop over elements serves.
  func fusedLogDensity(_ params: [Tensor], _ x: Tensor) -> FusedLogDensity?
  /// The summed log-density of an elementwise product at `x` (the default loops over
  /// `logDensity`, compiled for each family, so the loop makes no dynamic calls).
  func totalLogDensity(_ elements: ElementParameters, _ x: [Double]) -> Double
  /// One draw per element of a product into `out` (the default loops over `sample`).
  func sampleElements(_ elements: ElementParameters, _ rng: inout RandomGenerator, into out: inout [Double])
  /// Each element's log-density at `x` into `out` (a batch's members, scored at once).
  func logDensities(_ elements: ElementParameters, _ x: [Double], into out: inout [Double])
}

extension FamilyDefinition {
  public var isImproper: Bool { false }

  public func fusedLogDensity(_ params: [Tensor], _ x: Tensor) -> FusedLogDensity? { nil }

  public func totalLogDensity(_ elements: ElementParameters, _ x: [Double]) -> Double {
    let support = self.support
    var total = 0.0
    elements.forEach { p, i in
      let v = x[i]
      total += support.contains(v, p) ? logDensity(p, v) : v.isNaN ? .nan : -.infinity
    }
    return total
  }

  public func sampleElements(_ elements: ElementParameters, _ rng: inout RandomGenerator, into out: inout [Double]) {
    elements.forEach { p, i in out[i] = sample(p, &rng) }
  }

  public func logDensities(_ elements: ElementParameters, _ x: [Double], into out: inout [Double]) {
    let support = self.support
    elements.forEach { p, i in
      let v = x[i]
      out[i] = support.contains(v, p) ? logDensity(p, v) : v.isNaN ? .nan : -.infinity
    }
  }
}

/// One parameter of a family.
public struct FamilyParameter: Sendable {
  public let name: String
  public let constraint: ParameterConstraint

  public init(_ name: String, _ constraint: ParameterConstraint) {
    self.name = name
    self.constraint = constraint
  }

  /// Integer parameters are `Int` in the builtin's signature and never tensors.
  public var isInteger: Bool {
    switch constraint {
    case .integer, .nonNegativeInteger: return true
    default: return false
    }
  }
}

/// What a parameter's value must satisfy; invalid values are reported naming the
/// family and the parameter.
public enum ParameterConstraint: Sendable {
  case finite
  case positive
  case nonNegative
  /// In [0, 1].
  case probability
  /// In (0, 1].
  case positiveProbability
  /// Anything but NaN (±inf allowed: a logit).
  case notNaN
  case integer
  case nonNegativeInteger
}

/// A draw as a differentiable function of the parameters and noise (x = μ + σε for a
/// normal), so that gradients follow the draw's path. The noise may depend on the
/// parameters where the draw is implicitly reparameterized: a gamma's noise is its
/// standard draw itself (`ImplicitGamma`).
public struct Reparameterization: Sendable {
  /// How many noise values one draw takes (a beta takes two standard gamma draws).
  public let noiseCount: Int
  /// The k-th noise value of a draw with parameters p, drawn with exactly the random
  /// numbers the family's `sample` uses, so a replayed run reproduces the same draw.
  public let noise: @Sendable (_ p: Params, _ k: Int, _ rng: inout RandomGenerator) -> Double
  /// The draw from the parameters and the noise values (broadcasting), on the tape.
  public let draw: @Sendable (_ parameters: [Operand], _ noise: [Operand]) throws -> Operand

  /// Noise of one value per draw that does not depend on the parameters.
  public init(noise: @escaping @Sendable (inout RandomGenerator) -> Double,
              draw: @escaping @Sendable (_ parameters: [Operand], _ noise: Operand) throws -> Operand) {
    self.init(noiseCount: 1, noise: { _, _, rng in noise(&rng) }, draw: { p, e in try draw(p, e[0]) })
  }

  public init(noiseCount: Int, noise: @escaping @Sendable (_ p: Params, _ k: Int, _ rng: inout RandomGenerator) -> Double,
              draw: @escaping @Sendable (_ parameters: [Operand], _ noise: [Operand]) throws -> Operand) {
    self.noiseCount = noiseCount
    self.noise = noise
    self.draw = draw
  }
}

/// A measure-valued derivative: ∂θₖ E[f(x)] = cₖ·(E_{p⁺}[f] − E_{p⁻}[f]), where the
/// positive and negative parts p⁺, p⁻ are distributions (Mohamed et al. 2020, "Monte
/// Carlo Gradient Estimation in Machine Learning"). The rest of the program runs at one
/// draw of each part.
public struct MeasureValuedDerivative: Sendable {
  public struct Part: Sendable {
    /// Which parameter this part differentiates.
    public let parameter: Int
    public let coefficient: Double
    public let plus: Double
    /// nil where the negative part is zero.
    public let minus: Double?

    public init(parameter: Int, coefficient: Double, plus: Double, minus: Double?) {
      self.parameter = parameter
      self.coefficient = coefficient
      self.plus = plus
      self.minus = minus
    }
  }

  /// The parts at parameters p and the choice's draw x, drawing what they need.
  public let parts: @Sendable (_ p: Params, _ x: Double, _ rng: inout RandomGenerator) -> [Part]

  public init(parts: @escaping @Sendable (_ p: Params, _ x: Double, _ rng: inout RandomGenerator) -> [Part]) {
    self.parts = parts
  }
}

/// A product's log-density with its gradients at full size: one per parameter, then
/// for the value.
public struct FusedLogDensity {
  public let value: Double
  public let parameters: [[Double]]
  public let x: [Double]

  public init(value: Double, parameters: [[Double]], x: [Double]) {
    self.value = value
    self.parameters = parameters
    self.x = x
  }
}

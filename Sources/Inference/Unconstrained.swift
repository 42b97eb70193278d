import Distributions
import Foundation
import Runtime
import Tensor

/// Maps between a choice's support and the real line (as Stan does): identity on the
/// real line, exp onto positive values, a scaled logistic onto an interval. Gradient
/// kernels move in the unconstrained space and add log |dx/du| to the density.
enum Unconstrained {
  enum Support {
    case real
    case positive
    case interval(Double, Double)
  }

  /// The support of a continuous distribution, or nil (discrete, simplex).
  static func support(_ d: Distribution) -> Support? {
    let family: Family
    let params: (Int) -> Double
    switch d {
    case .scalar(let f, let p):
      family = f
      params = { p[$0] }
    case .product(let f, let ps, _):
      family = f
      params = { i in ps[i].count == 1 ? ps[i].data[0] : .nan }
    case .mvnormal: return .real
    default: return nil
    }
    switch family {
    case .normal, .cauchy, .studentT, .laplace: return .real
    case .lognormal, .gamma, .invGamma, .exponential, .halfNormal, .halfCauchy: return .positive
    case .beta: return .interval(0, 1)
    case .uniform:
      let a = params(0), b = params(1)
      return a.isNaN || b.isNaN ? nil : .interval(a, b)
    default: return nil
    }
  }

  /// u from x.
  static func toUnconstrained(_ x: Tensor, _ s: Support) -> Tensor {
    switch s {
    case .real: return x
    case .positive: return x.map { Foundation.log($0) }
    case .interval(let a, let b): return x.map { v in let y = (v - a) / (b - a); return Foundation.log(y) - Foundation.log1p(-y) }
    }
  }

  /// x from u (plain values).
  static func toConstrained(_ u: Tensor, _ s: Support) -> Tensor {
    switch s {
    case .real: return u
    case .positive: return u.map { Foundation.exp($0) }
    case .interval(let a, let b): return u.map { a + (b - a) * Elementary.sigmoid($0) }
    }
  }

  /// x from u on the tape, with log |dx/du| summed over the elements.
  static func toConstrained(_ u: Operand, _ s: Support) throws -> (x: Operand, logJacobian: Operand) {
    switch s {
    case .real:
      return (u, .constant(.scalar(0)))
    case .positive:
      return (try Differentiable.unary(.exp, u), try Differentiable.sum(u))
    case .interval(let a, let b):
      let y = try Differentiable.unary(.sigmoid, u)
      let x = try Differentiable.binary(.add, try Differentiable.binary(.mul, y, .constant(.scalar(b - a))), .constant(.scalar(a)))
      // log dx/du = log(b − a) + log σ(u) + log(1 − σ(u)) = log(b − a) − softplus(u) − softplus(−u)
      let minusU = try Differentiable.binary(.mul, u, .constant(.scalar(-1)))
      let terms = try Differentiable.binary(.add, try Differentiable.unary(.softplus, u), try Differentiable.unary(.softplus, minusU))
      let logJ = try Differentiable.binary(.sub, .constant(.scalar(Foundation.log(b - a) * Double(u.value.count))), try Differentiable.sum(terms))
      return (x, logJ)
    }
  }
}

/// Runs a model with given values at every choice (differentiated ones are tracked)
/// and sums the log joint density on the tape.
struct LogDensityHandler: Handler {
  let values: [Address: Value]
  var logDensity: Value = .real(0)

  mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    guard let v = values[address] else {
      throw RuntimeError("the model made a choice at '\(address)' that the trace does not have; gradient-based kernels need the same choices in every run")
    }
    try add(try Differentiation.logpdf(distribution, v), NaNDensity.choice(address))
    return .value(v)
  }

  mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try add(try Differentiation.logpdf(distribution, value), NaNDensity.observation(address))
    return true
  }

  mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try add(weight, NaNDensity.factor(address))
    return true
  }

  /// Adds a term, throwing `nanError` if it is NaN.
  private mutating func add(_ term: Value, _ nanError: @autoclosure () -> RuntimeError) throws {
    let isNaN: Bool
    switch term {
    case .real(let x): isNaN = x.isNaN
    case .tracked(let t): isNaN = t.value.data.contains { $0.isNaN }
    default: isNaN = false
    }
    if isNaN { throw nanError() }
    logDensity = try Differentiation.add(logDensity, term)
  }

  // The primal forms are never called: the full forms above take precedence.
  func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction { .suspend }
  func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
  func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
}

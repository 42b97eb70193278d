import Distributions
import Foundation
import Runtime
import Tensor

/// Measure-valued derivatives: the derivative of a density with respect to a parameter
/// is written as c·(p⁺ − p⁻) for two distributions p⁺, p⁻, so
/// ∂θ E[f(x)] = c·(E_{p⁺}[f] − E_{p⁻}[f]); the rest of the program runs at a draw of
/// each part (Mohamed et al. 2020, "Monte Carlo Gradient Estimation in Machine Learning").
enum MeasureValued {
  /// One parameter's term: `coefficient` is zero-valued with the gradient of c·θ;
  /// the gradient estimate adds coefficient·(V(plus) − V(minus)), V the rest's value.
  struct Term {
    let coefficient: Value
    let plus: Value
    /// nil where the negative part is zero (categorical: ∂π_k of Σ π_k f(k) is f(k)).
    let minus: Value?
  }

  /// The terms at a choice `x` drawn from `d` (parameters not differentiated give none).
  static func terms(_ d: Value, at x: Value, _ rng: inout RandomGenerator) throws -> [Term] {
    guard case .trackedDist(let t) = d, t.isDifferentiated else { return [] }
    switch (t.primal, t.parameters) {
    case (.scalar(let f, let p), .family(let ops)):
      let theta = ops.map(Differentiation.value)
      switch f {
      case .bernoulli:
        return [Term(coefficient: try Differentiation.centered(theta[0]), plus: .bool(true), minus: .bool(false))]
      case .bernoulliLogit:
        let prob = try Differentiation.unary(.sigmoid, theta[0])
        return [Term(coefficient: try Differentiation.centered(prob), plus: .bool(true), minus: .bool(false))]
      case .normal:
        let (mu, sigma) = (p.a, p.b)
        let r = (-2 * log(rng.uniform())).squareRoot()  // Rayleigh(1)
        let z = rng.normal()
        let m = (0..<3).reduce(0.0) { s, _ in let e = rng.normal(); return s + e * e }.squareRoot()
          * (rng.uniform() < 0.5 ? -1 : 1)  // double-sided Maxwell
        let cMu = try Differentiation.mul(Differentiation.centered(theta[0]), .real(1 / (sigma * (2 * Double.pi).squareRoot())))
        let cSigma = try Differentiation.mul(Differentiation.centered(theta[1]), .real(1 / sigma))
        return [Term(coefficient: cMu, plus: .real(mu + sigma * r), minus: .real(mu - sigma * r)),
                Term(coefficient: cSigma, plus: .real(mu + sigma * m), minus: .real(mu + sigma * z))]
      case .poisson:
        let k = try x.asInt()
        return [Term(coefficient: try Differentiation.centered(theta[0]), plus: .int(k + 1), minus: .int(k))]
      case .geometric:
        // ∂p of p(1−p)^k is (1/p)(Geometric(p) − (1 + NegativeBinomial(2, p))).
        let k = try x.asInt()
        let geometric = Distribution.scalar(.geometric, p)
        let k1 = try geometric.sample(&rng).integer(), k2 = try geometric.sample(&rng).integer()
        let c = try Differentiation.mul(Differentiation.centered(theta[0]), .real(1 / p.a))
        return [Term(coefficient: c, plus: .int(k), minus: .int(1 + k1 + k2))]
      default:
        break
      }
    case (.categorical(let logProbs), .categoricalProbs(let o)), (.categorical(let logProbs), .categoricalLogits(let o)):
      let probs: Operand
      if case .categoricalLogits = t.parameters {
        probs = try Differentiable.softmax(o, log: false)
      } else {
        probs = try Differentiable.binary(.div, o, try Differentiable.sum(o))
      }
      let centered = try Differentiation.centered(Differentiation.value(probs))
      guard let centeredOperand = Differentiation.operand(centered) else { return [] }
      return try logProbs.indices.map { k in
        Term(coefficient: Differentiation.value(try Differentiable.gather(centeredOperand, positions: [k], shape: [])),
             plus: .int(k), minus: nil)
      }
    default:
      break
    }
    throw RuntimeError("\(t.primal.name) has no measure-valued derivative here")
  }
}

private extension Outcome {
  func integer() throws -> Int {
    guard case .int(let k) = self else { throw RuntimeError("internal: expected an integer draw") }
    return k
  }
}

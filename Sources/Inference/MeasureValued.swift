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
      guard let mvd = f.measureValued, let v = x.outcome?.number else { break }
      let parts = mvd.parts(p, v, &rng)
      for (k, o) in ops.enumerated() where !o.isConstant && !parts.contains(where: { $0.parameter == k }) {
        throw RuntimeError("\(f.name)'s measure-valued derivative has no part for its parameter \(f.parameters[k].name), which is being differentiated; use .reinforce")
      }
      return try parts.map { part in
        let theta = Differentiation.value(ops[part.parameter])
        return Term(coefficient: try Differentiation.mul(Differentiation.centered(theta), .real(part.coefficient)),
                    plus: Value(Outcome.scalar(part.plus, f.kind)), minus: part.minus.map { Value(Outcome.scalar($0, f.kind)) })
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

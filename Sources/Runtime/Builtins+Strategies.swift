import Distributions

extension RuntimeBuiltins {
  /// `d.reparam`, `d.reinforce`, `d.reinforce(baseline: b)`, `d.enum`, `d.mvd` (the
  /// checker turns the field forms into these calls).
  static func declareStrategies(_ r: BuiltinRegistry) {
    r.declare("fn __reparam(d: Dist[a]) -> Dist[a]") { a, c in try withStrategy(try a["d"], .reparam, c) }
    r.declare("fn __reinforce(d: Dist[a]) -> Dist[a]") { a, c in try withStrategy(try a["d"], .reinforce(baseline: nil), c) }
    r.declare("fn __reinforce_baseline(d: Dist[a], baseline: Real) -> Dist[a]") { a, c in
      try withStrategy(try a["d"], .reinforce(baseline: try primalValue(try a["baseline"]).asReal()), c)
    }
    r.declare("fn __enum(d: Dist[a]) -> Dist[a]") { a, c in try withStrategy(try a["d"], .enumerate, c) }
    r.declare("fn __mvd(d: Dist[a]) -> Dist[a]") { a, c in try withStrategy(try a["d"], .mvd, c) }
  }

  /// The distribution with a gradient strategy, refused where it cannot apply.
  static func withStrategy(_ d: Value, _ strategy: GradientStrategy, _ c: CallContext) throws -> Value {
    let dist = try Autodiff.primal(d)
    switch strategy {
    case .reparam:
      guard dist.isReparameterizable else {
        throw c.fail("\(dist.name) cannot be reparameterized; use .reinforce, or .enum for a finite support")
      }
    case .reinforce: break
    case .enumerate:
      guard dist.support != nil else { throw c.fail("\(dist.name) \(dist.supportProblem), so it cannot be enumerated") }
    case .mvd:
      guard dist.hasMeasureValuedDerivative else {
        let families = Family.all.filter { $0.measureValued != nil }.map(\.name) + ["categorical"]
        throw c.fail("\(dist.name) has no measure-valued derivative here; .mvd applies to scalar \(families.joined(separator: ", "))")
      }
    }
    return .trackedDist(TrackedDistribution(dist, try Autodiff.parameters(d, dist), strategy: strategy))
  }
}

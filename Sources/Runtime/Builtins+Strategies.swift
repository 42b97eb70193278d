import Distributions

extension RuntimeBuiltins {
  /// `d.reparam`, `d.reinforce`, `d.reinforce(baseline: b)`, `d.enum`, `d.mvd` (the
  /// checker turns the field forms into these calls).
  static func registerStrategies(_ r: BuiltinRegistry) {
    r.register("__reparam(Dist[?])") { a, c in try withStrategy(a[0], .reparam, c) }
    r.register("__reinforce(Dist[?])") { a, c in try withStrategy(a[0], .reinforce(baseline: nil), c) }
    r.register("__reinforce_baseline(Dist[?], Real)") { a, c in
      try withStrategy(a[0], .reinforce(baseline: try primalValue(a[1]).asReal()), c)
    }
    r.register("__enum(Dist[?])") { a, c in try withStrategy(a[0], .enumerate, c) }
    r.register("__mvd(Dist[?])") { a, c in try withStrategy(a[0], .mvd, c) }
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
        throw c.fail("\(dist.name) has no measure-valued derivative here; .mvd applies to scalar bernoulli, categorical, normal, poisson and geometric")
      }
    }
    return .trackedDist(TrackedDistribution(dist, try Autodiff.parameters(d, dist), strategy: strategy))
  }
}

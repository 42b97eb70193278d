import Distributions
import Runtime
import Tensor

/// Reparameterized draws: a draw written as a differentiable function of the
/// distribution's parameters and standard noise (x = μ + σε for a normal), so the
/// gradient follows the draw's path. The noise is drawn exactly as the plain sampler
/// draws it, so a replayed run reproduces the same values.
enum Reparameterization {
  static func draw(_ d: Value, _ rng: inout RandomGenerator) throws -> Value {
    let dist = try Differentiation.distribution(d)
    guard case .trackedDist(let t) = d, t.isDifferentiated else { return Value(dist.sample(&rng)) }
    switch (dist, t.parameters) {
    case (.scalar(let f, _), .family(let ops)):
      let noise = Value.real(f.standardNoise(&rng))
      return try transform(f, ops.map(Differentiation.value), noise)
    case (.product(let f, _, let shape), .family(let ops)):
      let n = shape.reduce(1, *)
      let noise = Value.tensor(Tensor(shape: shape, data: (0..<n).map { _ in f.standardNoise(&rng) }))
      return try transform(f, ops.map(Differentiation.value), noise)
    case (.mvnormal(let m), .mvnormal(let mean, let cov)):
      guard cov.isConstant else {
        throw RuntimeError("mvnormal's reparameterization differentiates its mean only, but its covariance is being differentiated; use a normal per coordinate")
      }
      let k = m.dimension
      let e = (0..<k).map { _ in rng.normal() }
      let offset = (0..<k).map { i in (0...i).reduce(0) { $0 + m.cholesky[i * k + $1] * e[$1] } }
      return try Differentiation.add(Differentiation.value(mean), .tensor(Tensor(shape: [k], data: offset)))
    case (.transformed, .transformed(let base, let t)):
      return try t.forward(try draw(base, &rng))
    default:
      throw RuntimeError("\(dist.name) cannot be reparameterized")
    }
  }

  /// The draw from standard noise: location–scale families and the exponential.
  static func transform(_ f: Family, _ p: [Value], _ noise: Value) throws -> Value {
    switch f {
    case .normal, .cauchy, .laplace:
      return try Differentiation.add(p[0], Differentiation.mul(p[1], noise))
    case .lognormal:
      return try Differentiation.exp(Differentiation.add(p[0], Differentiation.mul(p[1], noise)))
    case .uniform:
      return try Differentiation.add(p[0], Differentiation.mul(Differentiation.sub(p[1], p[0]), noise))
    case .exponential:
      return try Differentiation.div(noise, p[0])
    case .halfNormal, .halfCauchy:
      return try Differentiation.mul(p[0], noise)
    default:
      throw RuntimeError("\(f.rawValue) cannot be reparameterized")
    }
  }
}

extension Family {
  /// The noise of a reparameterization, drawn with the same random numbers as the
  /// family's own sampler: a standard normal for the normal and lognormal, a draw of
  /// the standard member of the family for the others.
  func standardNoise(_ rng: inout RandomGenerator) -> Double {
    switch self {
    case .lognormal: return Family.normal.sample(Params(0, 1), &rng)
    case .exponential, .halfNormal, .halfCauchy: return sample(Params(1), &rng)
    default: return sample(Params(0, 1), &rng)
    }
  }
}

import Distributions
import Runtime
import Tensor

/// Reparameterized draws: a draw written as a differentiable function of the
/// distribution's parameters and standard noise, so the gradient follows the draw's
/// path. Each family declares its own (`FamilyDefinition.reparameterization`); the
/// noise is drawn exactly as the family's sampler draws it, so a replayed run reproduces
/// the same values.
enum Reparameterization {
  static func draw(_ d: Value, _ rng: inout RandomGenerator) throws -> Value {
    let dist = try Differentiation.distribution(d)
    guard case .trackedDist(let t) = d, t.isDifferentiated else { return Value(try dist.sample(&rng)) }
    switch (dist, t.parameters) {
    case (.scalar(let f, _), .family(let ops)), (.product(let f, _, _), .family(let ops)):
      guard let r = f.reparameterization, let noise = try dist.reparameterizationNoise(&rng) else {
        throw RuntimeError("\(f.name) cannot be reparameterized")
      }
      return Differentiation.value(try r.draw(ops, noise.map { .constant($0) }))
    case (.dirichlet, .dirichlet(let concentration)):
      guard let noise = try dist.reparameterizationNoise(&rng) else { throw RuntimeError("internal: dirichlet has no noise") }
      return Differentiation.value(try Distribution.dirichletDraw(concentration, standard: noise[0]))
    case (.mvnormal(let m), .mvnormal(let mean, let cov)):
      guard cov.isConstant else {
        throw RuntimeError("mvnormal's reparameterization differentiates its mean only, but its covariance is being differentiated; use a normal per coordinate")
      }
      let k = m.dimension
      let e = (0..<k).map { _ in rng.normal() }
      let offset = (0..<k).map { i in (0...i).reduce(0) { $0 + m.cholesky[i * k + $1] * e[$1] } }
      return try Differentiation.add(Differentiation.value(mean), .tensor(Tensor(shape: [k], data: offset)))
    case (.dirac, .dirac(let point)):
      return point
    case (.transformed, .transformed(let base, let t)):
      return try t.forward(try draw(base, &rng))
    default:
      throw RuntimeError("\(dist.name) cannot be reparameterized")
    }
  }
}

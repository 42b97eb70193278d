import Distributions
import Foundation
import Runtime
import Tensor

/// Hamiltonian Monte Carlo and MALA over the selected continuous choices, on the GFI's
/// unconstrained density (log-density plus log-Jacobian, gradients from the tape).
enum GradientKernels {
  /// One HMC transition: momentum ~ N(0, I), `steps` leapfrog steps of size `step`,
  /// Metropolis correction. MALA is HMC with one step.
  static func hmc(_ t: Trace, _ selection: Selection, step: Double, steps: Int, _ c: CallContext) throws -> Trace {
    guard step > 0, steps >= 1 else { throw c.fail("hmc: step must be positive and leapfrog at least 1") }
    let target = try UnconstrainedDensity(t, selection, c)
    var u = target.start
    var point = try target.evaluate(u)
    let start = point.logDensity
    var p = u.map { _ in c.runtime.rng.normal() }
    let kinetic0 = p.reduce(0) { $0 + $1 * $1 } / 2
    for _ in 0..<steps {
      for i in p.indices { p[i] += 0.5 * step * point.gradient[i] }
      for i in u.indices { u[i] += step * p[i] }
      point = try target.evaluateProposal(u)
      if !point.logDensity.isFinite {
        c.runtime.divergentTransitions += 1
        return t
      }
      for i in p.indices { p[i] += 0.5 * step * point.gradient[i] }
    }
    let kinetic = p.reduce(0) { $0 + $1 * $1 } / 2
    let logAccept = (point.logDensity - kinetic) - (start - kinetic0)
    if logAccept < -1000 { c.runtime.divergentTransitions += 1 }
    return log(c.runtime.rng.uniform()) < logAccept ? try target.trace(at: point.values) : t
  }
}

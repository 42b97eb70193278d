import Distributions
import Foundation
import Runtime

extension SMC {
  /// A weighted population of particles and the log evidence gathered so far: the
  /// state that SMC's steps — advance, resample, rejuvenate — pass along. `run` composes
  /// them into the standard algorithm; PPL programs compose them into others (AIS,
  /// tempered SMC samplers) through the `Particles` builtins.
  struct Population {
    let model: Model
    var particles: [Particle]
    /// Σ log(mean weight) over the resamplings so far.
    var logEvidence = 0.0

    init(_ model: Model, count: Int, _ c: CallContext) throws {
      self.model = model
      particles = try (0..<count).map { _ in try Particle(model, c) }
    }

    var isFinished: Bool { particles.allSatisfy(\.isFinished) }
    var logWeights: [Double] { particles.map(\.logWeight) }

    /// Runs every unfinished particle to its next stop and reweights it.
    mutating func advance(_ c: CallContext) throws {
      let model = self.model
      try SMC.forEach(&particles, c) { p, c in if !p.isFinished { try p.advance(model, c) } }
      guard Special.logsumexp(logWeights) > -.infinity else { throw c.fail("smc: every particle has zero weight") }
    }

    /// The effective sample size of the normalized weights, 1 / Σ w².
    var effectiveSampleSize: Double {
      let w = logWeights, total = Special.logsumexp(w)
      guard total > -.infinity else { return 0 }
      return 1 / w.reduce(0) { $0 + exp(2 * ($1 - total)) }
    }

    /// Draws a new population of equal weight from the current one (copying
    /// executions), folding the mean weight into the evidence.
    mutating func resample(_ scheme: Resampling, _ c: CallContext) throws {
      let w = logWeights, total = Special.logsumexp(w)
      guard total > -.infinity else { throw c.fail("smc: every particle has zero weight") }
      logEvidence += total - log(Double(w.count))
      let chosen = ancestors(w.map { exp($0 - total) }, scheme, &c.runtime.rng)
      particles = chosen.map { var p = particles[$0]; p.logWeight = 0; return p }
    }

    /// Moves every particle with an MCMC kernel for its current target.
    mutating func rejuvenate(_ kernel: Value, _ c: CallContext) throws {
      let model = self.model
      try SMC.forEach(&particles, c) { p, c in try p.rejuvenate(kernel, model, c) }
    }

    /// The weighted mean of a numeric choice, read from each particle's newest choices
    /// first: for the latest state of a filter this costs O(n), not a trace per particle.
    func mean(_ address: Address) throws -> Double {
      let w = logWeights, total = Special.logsumexp(w)
      var sum = 0.0
      for (p, lw) in zip(particles, w) {
        guard let v = p.run.newest(address) else { throw RuntimeError("a particle has no choice at '\(address)'") }
        guard let x = v.outcome?.number else { throw RuntimeError("the choice at '\(address)' is a \(v.typeName), not a number") }
        sum += exp(lw - total) * x
      }
      return sum
    }

    /// The weighted traces (partial for unfinished particles) and the unbiased
    /// estimate of the evidence of what has been run.
    func posterior() throws -> Posterior {
      let w = logWeights
      return Posterior(traces: try particles.map { try $0.trace(model) }, logWeights: w,
                       logEvidence: logEvidence + logMeanExp(w), observed: model.observed)
    }
  }

  /// The standard algorithm: advance, and when ESS/n falls below `threshold` resample
  /// and (optionally) rejuvenate, until every particle has finished.
  static func run(_ model: Model, particles n: Int, scheme: Resampling, threshold: Double, rejuvenate kernel: Value?,
                  _ c: CallContext) throws -> Posterior {
    var population = try Population(model, count: n, c)
    while !population.isFinished {
      try population.advance(c)
      if population.effectiveSampleSize < threshold * Double(n) && !population.isFinished {
        try population.resample(scheme, c)
        if let kernel { try population.rejuvenate(kernel, c) }
      }
    }
    return try population.posterior()
  }
}

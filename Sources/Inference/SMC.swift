import Distributions
import Foundation
import Runtime

/// Sequential Monte Carlo as a program transformation: every particle is a stepped run
/// of the model (`SteppedRun`, the GFI's suspendable generate). Particles run to their
/// next `observe`, `factor` or constrained choice (a *stop*), are reweighted there, and
/// when the effective sample size falls below a threshold the population is resampled
/// by copying runs. The steps live on `Population` (SMC+Population.swift); this file
/// holds a particle and how it moves.
enum SMC {
  /// What every particle runs: a gen, its arguments and the observations, and the
  /// proposal gen (with its extra arguments) that gives each step's choices, if any.
  struct Model {
    let gen: Closure
    let arguments: [Value]
    let observations: ChoiceMap
    let observed: Set<Address>
    let proposal: (gen: Closure, arguments: [Value])?

    init(_ gen: Closure, _ arguments: [Value], _ observations: ChoiceMap, proposal: (gen: Closure, arguments: [Value])? = nil) {
      self.gen = gen
      self.arguments = arguments
      self.observations = observations
      self.proposal = proposal
      observed = Set(observations.addresses)
    }

    /// The proposal as a stepped run asks for it: called with the particle's partial
    /// trace, the stops it has passed and the proposal's arguments; its draws and their
    /// log-density.
    func proposer(_ c: CallContext) -> SteppedRun.Proposer? {
      guard let proposal else { return nil }
      return { partial, step in
        let q = try InferenceBuiltins.proposal(proposal.gen, [.object(partial), .int(step)] + proposal.arguments, c)
        return (q.trace.choices, q.score)
      }
    }

    /// A run of the model that stops at each weighting point (the GFI's stepped generate).
    func start(replay: ChoiceMap? = nil, _ c: CallContext) throws -> SteppedRun {
      try SteppedRun(gen, arguments, constraints: observations, replay: replay, c)
    }
  }

  struct Particle {
    var run: SteppedRun
    var logWeight = 0.0

    init(_ model: Model, _ c: CallContext) throws {
      run = try model.start(c)
    }

    var isFinished: Bool { run.isFinished }

    /// Runs to the next stop (or to the end), adding the stop's log-weight.
    mutating func advance(_ model: Model, _ c: CallContext) throws {
      logWeight += try run.advance(model.gen, model.arguments, proposer: model.proposer(c), observed: model.observed, c)
    }

    /// The trace of what the particle has run: partial (up to its stops) unless finished.
    func trace(_ model: Model) throws -> Trace {
      try run.trace(model.gen, model.arguments, observed: model.observed)
    }

    /// Moves the particle by an MCMC kernel that leaves its current (partial) target
    /// invariant: the kernel gets the partial trace, and the particle is rebuilt by
    /// replaying the program on the kernel's choices to the same stop. The weight stays.
    mutating func rejuvenate(_ kernel: Value, _ model: Model, _ c: CallContext) throws {
      let current = try trace(model)
      guard case .object(let object) = try c.call(kernel, [.object(current)]), let moved = object as? Trace else {
        throw c.fail("rejuvenate: the kernel must return a trace")
      }
      if moved === current { return }
      guard moved.gen === model.gen else { throw c.fail("rejuvenate: the kernel returned a trace of another gen") }
      var rebuilt = try model.start(replay: moved.choices, c)
      while !rebuilt.isFinished && (isFinished || rebuilt.stops < run.stops) { _ = try rebuilt.advance(model.gen, model.arguments, c) }
      rebuilt.stopReplaying()
      run = rebuilt
    }
  }

  static func logMeanExp(_ xs: [Double]) -> Double { Special.logsumexp(xs) - log(Double(xs.count)) }

  /// Particles per block of parallel work (`Parallel`).
  static let blockSize = 256

  /// Applies `body` to every particle, in parallel blocks.
  static func forEach(_ particles: inout [Particle], _ c: CallContext, _ body: (inout Particle, CallContext) throws -> Void) throws {
    try particles.withUnsafeMutableBufferPointer { buffer in
      try Parallel.forEach(buffer.count, blockSize: blockSize, c) { i, c in try body(&buffer[i], c) }
    }
  }
}

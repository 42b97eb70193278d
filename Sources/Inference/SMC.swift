import Dispatch
import Distributions
import Foundation
import Runtime

/// Sequential Monte Carlo as a program transformation: every particle is a suspended
/// execution of the model. Particles run to their next `observe`, `factor` or
/// constrained choice (a *stop*), are reweighted there, and when the effective sample
/// size falls below a threshold the population is resampled by copying executions.
/// The steps live on `Population` (SMC+Population.swift); this file holds a particle
/// and how it runs.
enum SMC {
  /// A particle's choices as a persistent list, newest first: resampling copies a
  /// pointer, not the history (which would cost O(N·T²) over a run).
  final class Choice {
    let address: Address
    let value: Value
    let score: Double
    let distribution: Distribution
    let previous: Choice?
    init(_ address: Address, _ value: Value, _ score: Double, _ distribution: Distribution, _ previous: Choice?) {
      self.address = address
      self.value = value
      self.score = score
      self.distribution = distribution
      self.previous = previous
    }
  }

  /// Suspends at constrained choices and after each observation or factor, so the
  /// driver can reweight; samples every other choice, or takes it from `replay` when a
  /// rejuvenated particle is rebuilt.
  struct ParticleHandler: Handler {
    let constraints: ChoiceMap
    var replay: ChoiceMap?
    var latest: Choice?
    var score = 0.0
    /// The log-weight increment of the last stop.
    var increment = 0.0
    /// The stops this particle has passed.
    var stops = 0

    mutating func record(_ address: Address, _ v: Value, _ dist: Distribution) throws -> Double {
      guard let x = v.outcome else { throw RuntimeError("\(dist.name) cannot score the value at '\(address)'") }
      let lp = try dist.logpdf(x)
      if lp.isNaN { throw NaNDensity.choice(address) }
      latest = Choice(address, v, lp, dist, latest)
      score += lp
      return lp
    }

    /// The particle's trace (partial when `truncation` is given); a repeated address is
    /// reported here.
    func trace(_ g: Closure, _ args: [Value], _ retval: Value?, truncation: Truncation? = nil) throws -> Trace {
      var list: [Choice] = []
      var node = latest
      while let n = node {
        list.append(n)
        node = n.previous
      }
      var choices = ChoiceMap()
      choices.reserveCapacity(list.count)
      var scores: [Double] = [], distributions: [Distribution] = []
      scores.reserveCapacity(list.count)
      distributions.reserveCapacity(list.count)
      for n in list.reversed() {
        guard choices.insert(n.address, n.value) else { throw RuntimeError("the address '\(n.address)' is used twice in one execution") }
        scores.append(n.score)
        distributions.append(n.distribution)
      }
      return Trace(gen: g, arguments: args, retval: retval ?? .unit, score: score, choices: choices, choiceScores: scores,
                   choiceDistributions: distributions, truncation: truncation, isPartial: retval == nil)
    }

    mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
      if constraints.has(address) { return .suspend }
      let v = try replay?[address] ?? Value(dist.sample(&context.rng))
      _ = try record(address, v, dist)
      return .value(v)
    }

    mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
      guard let x = value.outcome else { throw RuntimeError("\(dist.name) cannot score a value of type \(value.typeName)") }
      increment = try dist.logpdf(x)
      if increment.isNaN { throw NaNDensity.observation(address) }
      score += increment
      return false
    }

    mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
      if weight.isNaN { throw NaNDensity.factor(address) }
      increment = weight
      score += weight
      return false
    }
  }

  /// What every particle runs: a gen, its arguments and the observations.
  struct Model {
    let gen: Closure
    let arguments: [Value]
    let observations: ChoiceMap
    let observed: Set<Address>

    init(_ gen: Closure, _ arguments: [Value], _ observations: ChoiceMap) {
      self.gen = gen
      self.arguments = arguments
      self.observations = observations
      observed = Set(observations.addresses)
    }
  }

  struct Particle {
    var execution: Execution
    var handler: ParticleHandler
    var logWeight = 0.0
    var retval: Value?

    init(_ model: Model, _ c: CallContext) throws {
      execution = try Execution(closure: model.gen, arguments: model.arguments, context: c.runtime)
      handler = ParticleHandler(constraints: model.observations)
    }

    var isFinished: Bool { retval != nil }

    /// Runs to the next stop (or to the end), adding the stop's log-weight.
    mutating func advance(_ c: CallContext) throws {
      while true {
        switch try execution.run(&handler, c.runtime) {
        case .finished(let v):
          retval = v
          return
        case .suspended(.choice(let address, let dist)):
          guard let v = handler.constraints[address] else { throw c.fail("internal: smc suspended at an unconstrained choice") }
          logWeight += try handler.record(address, v, dist)
          execution.resume(with: v)
          handler.stops += 1
          return
        case .suspended(.scored):
          logWeight += handler.increment
          handler.stops += 1
          return
        }
      }
    }

    /// The trace of what the particle has run: partial (up to its stops) unless finished.
    func trace(_ model: Model) throws -> Trace {
      try handler.trace(model.gen, model.arguments, retval,
                        truncation: isFinished ? nil : Truncation(stops: handler.stops, observed: model.observed))
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
      var rebuilt = try Particle(model, c)
      rebuilt.handler.replay = moved.choices
      while !rebuilt.isFinished && (isFinished || rebuilt.handler.stops < handler.stops) { try rebuilt.advance(c) }
      rebuilt.handler.replay = nil
      rebuilt.logWeight = logWeight
      self = rebuilt
    }
  }

  static func logMeanExp(_ xs: [Double]) -> Double { Special.logsumexp(xs) - log(Double(xs.count)) }

  /// Particles per thread below which work runs on one thread.
  static let parallelThreshold = 256

  /// Applies `body` to every particle; large populations are split into one chunk per
  /// core, each with a child context whose random stream is split from the
  /// interpreter's in chunk order, so the result does not depend on scheduling.
  static func forEach(_ population: inout [Particle], _ c: CallContext, _ body: (inout Particle, CallContext) throws -> Void) throws {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard cores > 1, population.count >= 2 * parallelThreshold else {
      for i in population.indices { try body(&population[i], c) }
      return
    }
    let chunk = (population.count + cores - 1) / cores
    let contexts = (0..<cores).map { _ in CallContext(runtime: c.runtime.child(rng: c.runtime.rng.split()), span: c.span) }
    var failures = [Error?](repeating: nil, count: cores)
    population.withUnsafeMutableBufferPointer { particles in
      failures.withUnsafeMutableBufferPointer { errors in
        DispatchQueue.concurrentPerform(iterations: cores) { k in
          do {
            for i in (k * chunk)..<min(particles.count, (k + 1) * chunk) { try body(&particles[i], contexts[k]) }
          } catch {
            errors[k] = error
          }
        }
      }
    }
    if let error = failures.compactMap({ $0 }).first { throw error }
  }
}

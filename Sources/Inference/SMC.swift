import Dispatch
import Distributions
import Foundation
import Runtime

/// Sequential Monte Carlo as a program transformation: every particle is a suspended
/// execution of the model. Particles run to their next `observe`, `factor` or
/// constrained choice, are reweighted there, and when the effective sample size falls
/// below a threshold the population is resampled by copying executions. The product of
/// the average weights at each resampling (and at the end) is an unbiased estimate of
/// the marginal likelihood.
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
  /// driver can reweight; samples every other choice.
  struct ParticleHandler: Handler {
    let constraints: ChoiceMap
    var latest: Choice?
    var score = 0.0
    /// The log-weight increment of the last stop.
    var increment = 0.0

    mutating func record(_ address: Address, _ v: Value, _ dist: Distribution) throws -> Double {
      guard let x = v.outcome else { throw RuntimeError("\(dist.name) cannot score the value at '\(address)'") }
      let lp = try dist.logpdf(x)
      latest = Choice(address, v, lp, dist, latest)
      score += lp
      return lp
    }

    /// The particle's trace; a repeated address is reported here.
    func trace(_ g: Closure, _ args: [Value], _ retval: Value) throws -> Trace {
      var list: [Choice] = []
      var node = latest
      while let n = node {
        list.append(n)
        node = n.previous
      }
      var choices = ChoiceMap()
      var scores: [Address: Double] = [:], distributions: [Address: Distribution] = [:]
      for n in list.reversed() {
        guard choices.insert(n.address, n.value) else { throw RuntimeError("the address '\(n.address)' is used twice in one execution") }
        scores[n.address] = n.score
        distributions[n.address] = n.distribution
      }
      return Trace(gen: g, arguments: args, retval: retval, score: score, choices: choices, choiceScores: scores,
                   choiceDistributions: distributions)
    }

    mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
      if constraints.has(address) { return .suspend }
      let v = Value(dist.sample(&context.rng))
      _ = try record(address, v, dist)
      return .value(v)
    }

    mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
      guard let x = value.outcome else { throw RuntimeError("\(dist.name) cannot score a value of type \(value.typeName)") }
      increment = try dist.logpdf(x)
      score += increment
      return false
    }

    mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
      increment = weight
      score += weight
      return false
    }
  }

  struct Particle {
    var execution: Execution
    var handler: ParticleHandler
    var logWeight = 0.0
    var retval: Value?
  }

  enum Resampling: String {
    case multinomial, systematic, stratified, residual
  }

  /// Ancestor indices for normalized weights `w` (n of them).
  static func ancestors(_ w: [Double], _ scheme: Resampling, _ rng: inout RandomGenerator) -> [Int] {
    let n = w.count
    func fromSorted(_ us: [Double]) -> [Int] {
      var out: [Int] = [], cumulative = w[0], i = 0
      for u in us {
        while u > cumulative && i < n - 1 {
          i += 1
          cumulative += w[i]
        }
        out.append(i)
      }
      return out
    }
    switch scheme {
    case .multinomial:
      return fromSorted((0..<n).map { _ in rng.uniform() }.sorted())
    case .systematic:
      let u = rng.uniform()
      return fromSorted((0..<n).map { (Double($0) + u) / Double(n) })
    case .stratified:
      return fromSorted((0..<n).map { (Double($0) + rng.uniform()) / Double(n) })
    case .residual:
      var out: [Int] = []
      var residual = w.map { $0 * Double(n) }
      for (i, r) in residual.enumerated() {
        let copies = Int(r.rounded(.down))
        out += Array(repeating: i, count: copies)
        residual[i] = r - Double(copies)
      }
      let rest = n - out.count
      guard rest > 0 else { return out }
      let total = residual.reduce(0, +)
      let normalized = residual.map { $0 / total }
      var cumulative = 0.0
      let cdf = normalized.map { cumulative += $0; return cumulative }
      for _ in 0..<rest {
        let u = rng.uniform()
        out.append(cdf.firstIndex { u <= $0 } ?? n - 1)
      }
      return out
    }
  }

  static func logMeanExp(_ xs: [Double]) -> Double { Special.logsumexp(xs) - log(Double(xs.count)) }

  /// Runs SMC; `rejuvenate` (if given) moves each particle's finished trace at the end.
  static func run(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, particles n: Int, scheme: Resampling,
                  threshold: Double, _ c: CallContext) throws -> Posterior {
    var population = try (0..<n).map { _ in
      Particle(execution: try Execution(closure: g, arguments: args, context: c.runtime), handler: ParticleHandler(constraints: obs))
    }
    var logEvidence = 0.0
    while population.contains(where: { $0.retval == nil }) {
      try advanceAll(&population, c)
      let logWeights = population.map(\.logWeight)
      let total = Special.logsumexp(logWeights)
      guard total > -.infinity else { throw c.fail("smc: every particle has zero weight") }
      let w = logWeights.map { exp($0 - total) }
      let ess = 1 / w.reduce(0) { $0 + $1 * $1 }
      if ess < threshold * Double(n) && population.contains(where: { $0.retval == nil }) {
        logEvidence += logMeanExp(logWeights)
        let chosen = ancestors(w, scheme, &c.runtime.rng)
        population = chosen.map { var p = population[$0]; p.logWeight = 0; return p }
      }
    }
    let logWeights = population.map(\.logWeight)
    logEvidence += logMeanExp(logWeights)
    let traces = try population.map { try $0.handler.trace(g, args, $0.retval ?? .unit) }
    return Posterior(traces: traces, logWeights: logWeights, logEvidence: logEvidence, observed: Set(obs.addresses))
  }

  /// Particles per thread below which the population advances on one thread.
  static let parallelThreshold = 256

  /// Advances every unfinished particle; large populations are split into one chunk per
  /// core, each with a child context whose random stream is split from the
  /// interpreter's in chunk order, so the result does not depend on scheduling.
  static func advanceAll(_ population: inout [Particle], _ c: CallContext) throws {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard cores > 1, population.count >= 2 * parallelThreshold else {
      for i in population.indices where population[i].retval == nil { try advance(&population[i], c) }
      return
    }
    let chunk = (population.count + cores - 1) / cores
    let contexts = (0..<cores).map { _ in CallContext(runtime: c.runtime.child(rng: c.runtime.rng.split()), span: c.span) }
    var failures = [Error?](repeating: nil, count: cores)
    population.withUnsafeMutableBufferPointer { particles in
      failures.withUnsafeMutableBufferPointer { errors in
        DispatchQueue.concurrentPerform(iterations: cores) { k in
          do {
            for i in (k * chunk)..<min(particles.count, (k + 1) * chunk) where particles[i].retval == nil {
              try advance(&particles[i], contexts[k])
            }
          } catch {
            errors[k] = error
          }
        }
      }
    }
    if let error = failures.compactMap({ $0 }).first { throw error }
  }

  /// Runs a particle to its next weighting point (or to its end).
  static func advance(_ p: inout Particle, _ c: CallContext) throws {
    while true {
      switch try p.execution.run(&p.handler, c.runtime) {
      case .finished(let v):
        p.retval = v
        return
      case .suspended(.choice(let address, let dist)):
        guard let v = p.handler.constraints[address] else { throw c.fail("internal: smc suspended at an unconstrained choice") }
        p.logWeight += try p.handler.record(address, v, dist)
        p.execution.resume(with: v)
        return
      case .suspended(.scored):
        p.logWeight += p.handler.increment
        return
      }
    }
  }
}

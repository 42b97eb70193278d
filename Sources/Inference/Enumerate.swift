import Distributions
import Runtime

/// Exact inference for programs whose unobserved choices all have finite support: the
/// execution is suspended at each such choice and copied once per value in its
/// support, so every complete assignment runs exactly once; each is weighted by its
/// joint density.
enum Enumeration {
  /// Suspends at unconstrained choices; scores constrained ones, observations and factors.
  struct Brancher: Handler {
    let constraints: ChoiceMap
    var choices = ChoiceMap()
    var choiceScores: [Double] = []
    var choiceDistributions: [Distribution] = []
    var score = 0.0

    mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
      guard let given = constraints[address] else { return .suspend }
      let v = try Scoring.admit(dist, given, at: address)
      try record(address, v, dist)
      return .value(v)
    }

    mutating func record(_ address: Address, _ v: Value, _ dist: Distribution) throws {
      let lp = try Scoring.choice(dist, v, at: address)
      guard choices.insert(address, v) else { throw Scoring.duplicate(address) }
      choiceScores.append(lp)
      choiceDistributions.append(dist)
      score += lp
    }

    mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
      score += try Scoring.observation(.dist(dist), value, within: address).lp
      return true
    }

    mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
      score += try Scoring.factor(.real(weight), within: address).lp
      return true
    }
  }

  static let maxBranches = 1_000_000

  static func posterior(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, _ c: CallContext) throws -> Posterior {
    var pending = [(try Execution(closure: g, arguments: args, context: c.runtime), Brancher(constraints: obs))]
    var traces: [Trace] = []
    var logWeights: [Double] = []
    var branches = 1, runs = 0
    while var (execution, handler) = pending.popLast() {
      // Each run is short, so the limits are checked here too, not only inside runs.
      runs += 1
      if runs % 1024 == 0 { try c.runtime.checkLimits() }
      switch try execution.run(&handler, c.runtime) {
      case .finished(let retval):
        guard handler.score > -.infinity else { continue }
        traces.append(Trace(gen: g, arguments: args, retval: retval, score: handler.score, choices: handler.choices,
                            choiceScores: handler.choiceScores, choiceDistributions: handler.choiceDistributions))
        logWeights.append(handler.score)
      case .suspended(.choice(let address, let dist)):
        guard let support = dist.support else {
          throw c.fail("enumerate: the choice at '\(address)' (\(dist.name)) \(dist.supportProblem)")
        }
        branches += support.count - 1
        guard branches <= maxBranches else { throw c.fail("enumerate: more than \(maxBranches) assignments") }
        for x in support {
          var branch = (execution, handler)
          try branch.1.record(address, Value(x), dist)
          branch.0.resume(with: Value(x))
          pending.append(branch)
        }
      case .suspended(.scored):
        pending.append((execution, handler))
      }
    }
    guard !traces.isEmpty, Special.logsumexp(logWeights) > -.infinity else {
      throw c.fail("enumerate: every assignment has zero probability given the observations")
    }
    return Posterior(traces: traces.reversed(), logWeights: logWeights.reversed(), logEvidence: Special.logsumexp(logWeights),
                     observed: Set(obs.addresses))
  }
}

import Distributions
import Foundation
import Runtime

extension SMC {
  /// An SMC population run as batches: one batched execution of the model serves every
  /// particle (`BatchExecution`), splitting only where particles take different paths.
  /// Its state is columns — log-weights, scores, stop counts, and the choices by
  /// generation (`ParticleHistory`) — so resampling gathers rows by ancestor instead of
  /// copying N executions, and N = 10^6 particles fit in memory. The same steps as
  /// `Population` (advance, resample, posterior); rejuvenation needs a per-particle
  /// population, so `smc` with a kernel, and the SMC steps builtins, use that one.
  struct BatchedPopulation {
    let model: Model
    let count: Int
    private var batches: [BatchExecution]
    private var finished: [BatchScheduler.Finished] = []
    private var columns: Columns
    /// Σ log(mean weight) over the resamplings so far.
    private(set) var logEvidence = 0.0
    /// The weights normalized to sum to one, and the log of their sum before, as of the
    /// last advance or resampling (each is computed once per step).
    private var normalized: (weights: [Double], logTotal: Double)

    /// `stopsAtObservations` false: every particle runs to its end in one advance
    /// (importance sampling).
    init(_ model: Model, count: Int, stopsAtObservations: Bool = true, _ c: CallContext) throws {
      self.model = model
      self.count = count
      batches = try BatchExecution.blocks(closure: model.gen, arguments: model.arguments, count: count, context: c.runtime)
      columns = Columns(model.observations, count: count, stopsAtObservations: stopsAtObservations)
      normalized = BatchedPopulation.equalWeights(count)
    }

    var isFinished: Bool { batches.isEmpty }
    var logWeights: [Double] { columns.logWeights }

    /// Runs every unfinished particle to its next stop, reweighting it there; `impossible`
    /// is the error when every weight is then zero.
    mutating func advance(_ c: CallContext, impossible: String = "smc: every particle has zero weight") throws {
      let (stopped, done) = try BatchScheduler.runToStops(batches, &columns, c.runtime)
      batches = stopped
      finished += done
      let w = columns.logWeights, total = Special.logsumexp(w)
      guard total > -.infinity else { throw c.fail(impossible) }
      normalized = (w.map { exp($0 - total) }, total)
    }

    var effectiveSampleSize: Double { 1 / normalized.weights.reduce(0) { $0 + $1 * $1 } }

    /// The normalized weights of `count` particles of log-weight 0.
    private static func equalWeights(_ count: Int) -> (weights: [Double], logTotal: Double) {
      (Array(repeating: 1 / Double(count), count: count), log(Double(count)))
    }

    /// Draws a new population of equal weight: every batch's rows are gathered by
    /// ancestor, and a new generation of the history starts.
    mutating func resample(_ scheme: Resampling, _ c: CallContext) {
      logEvidence += normalized.logTotal - log(Double(count))
      let ancestors = SMC.ancestors(normalized.weights, scheme, &c.runtime.rng)
      // Which batch (unfinished first, then finished) and row each particle is in.
      var batchOf = [Int32](repeating: 0, count: count), rowOf = [Int32](repeating: 0, count: count)
      let groups = batches.map(\.members) + finished.map(\.members)
      for (b, members) in groups.enumerated() {
        for (k, m) in members.enumerated() { batchOf[m] = Int32(b); rowOf[m] = Int32(k) }
      }
      var sizes = [Int](repeating: 0, count: groups.count)
      for a in ancestors { sizes[Int(batchOf[a])] += 1 }
      var rows = sizes.map { size -> [Int] in var row: [Int] = []; row.reserveCapacity(size); return row }, members = rows
      for (j, a) in ancestors.enumerated() {
        let b = Int(batchOf[a])
        rows[b].append(Int(rowOf[a]))
        members[b].append(j)
      }
      let running = batches.count
      batches = batches.indices.compactMap { b in rows[b].isEmpty ? nil : batches[b].gathered(rows[b], as: members[b]) }
      finished = finished.indices.compactMap { f in
        let b = running + f
        return rows[b].isEmpty ? nil : BatchScheduler.Finished(members: members[b], value: finished[f].value.gathered(rows[b]))
      }
      columns.resample(ancestors)
      normalized = BatchedPopulation.equalWeights(count)
    }

    /// The weighted traces (partial for unfinished particles), built when first read,
    /// and the unbiased estimate of the evidence of what has been run.
    func posterior() -> Posterior {
      let w = columns.logWeights, model = self.model, columns = self.columns, finished = self.finished
      let history = columns.history
      let store = TraceStore(build: {
        var retvals = [Value?](repeating: nil, count: history.count)
        for f in finished { for (k, m) in f.members.enumerated() { retvals[m] = f.value.value(at: k) } }
        return zip(history.choices(), retvals).enumerated().map { i, pair in
          let (choices, retval) = pair
          var map = ChoiceMap()
          map.reserveCapacity(choices.count)
          for choice in choices { map.insert(choice.address, choice.value) }
          return Trace(gen: model.gen, arguments: model.arguments, retval: retval ?? .unit, score: columns.scores[i], choices: map,
                       choiceScores: choices.map(\.score), choiceDistributions: choices.map(\.distribution),
                       truncation: retval != nil ? nil : Truncation(stops: columns.stops[i], observed: model.observed),
                       isPartial: retval == nil)
        }
      }, column: history.values)
      return Posterior(store, count: count, logWeights: w, logEvidence: logEvidence + logMeanExp(w), observed: model.observed)
    }
  }

  /// The standard algorithm on a batched population (`run` without rejuvenation).
  static func runBatched(_ model: Model, particles n: Int, scheme: Resampling, threshold: Double, _ c: CallContext) throws -> Posterior {
    var population = try BatchedPopulation(model, count: n, c)
    while !population.isFinished {
      try population.advance(c)
      if population.effectiveSampleSize < threshold * Double(n) && !population.isFinished {
        population.resample(scheme, c)
      }
    }
    return population.posterior()
  }
}

extension SMC.BatchedPopulation {
  /// The population's state by particle, and the handler its batches run under: it
  /// samples every choice but the constrained ones, and scores constrained choices,
  /// observations and factors into each particle's log-weight, stopping after each
  /// (StepHandler's rules, for a batch).
  struct Columns: BatchHandler {
    let constraints: ChoiceMap
    let stopsAtObservations: Bool
    private(set) var logWeights: [Double]
    /// Each particle's log joint density of what it has run.
    private(set) var scores: [Double]
    /// The weighting points each particle has passed.
    private(set) var stops: [Int]
    private(set) var history: ParticleHistory
    /// Every address any particle has chosen at, with the generation it was first chosen
    /// in; a repeat is checked particle by particle from that generation on.
    private var addresses: [Address: Int] = [:]

    init(_ constraints: ChoiceMap, count: Int, stopsAtObservations: Bool) {
      self.constraints = constraints
      self.stopsAtObservations = stopsAtObservations
      logWeights = Array(repeating: 0, count: count)
      scores = logWeights
      stops = Array(repeating: 0, count: count)
      history = ParticleHistory(count: count)
    }

    mutating func resample(_ ancestors: [Int]) {
      logWeights = Array(repeating: 0, count: logWeights.count)
      scores = ancestors.map { scores[$0] }
      stops = ancestors.map { stops[$0] }
      history = ParticleHistory(count: history.count, parent: history, ancestors: ancestors.map { Int32($0) })
    }

    private mutating func weigh(_ members: [Int], _ lps: [Double], stop: Bool) {
      for (k, m) in members.enumerated() {
        logWeights[m] += lps[k]
        scores[m] += lps[k]
        if stop { stops[m] += 1 }
      }
    }

    // Batched runs carry no derivatives: a differentiated distribution, observation or
    // factor is refused (importance and smc take their differentiable path when they
    // see one in their arguments; this catches what reaches the model another way).

    mutating func choice(at address: Address, distribution: BatchValue, members: [Int], _ context: RuntimeContext) throws
      -> (value: BatchValue, stop: Bool) {
      if context.differentiating && distribution.isDifferentiated { throw Differentiation.notCarried("the distribution of the choice '\(address)'") }
      let n = members.count, dists = try BatchDistributions(distribution, count: n)
      if let first = addresses[address] {
        if history.contains(address, members: members, since: first) { throw Scoring.duplicate(address) }
      } else {
        addresses[address] = history.generation
      }
      if let given = constraints[address] {
        let value = BatchValue.uniform(try Scoring.admit(dists[0], given, at: address))
        let lps = try dists.choiceScores(value, count: n, at: address)
        history.append(.init(address: address, members: members, values: value, scores: lps, distributions: dists))
        weigh(members, lps, stop: stopsAtObservations)
        return (value, stopsAtObservations)
      }
      let value = try dists.sample(count: n, &context.rng)
      let lps = try dists.choiceScores(value, count: n, at: address)
      for (k, m) in members.enumerated() { scores[m] += lps[k] }
      history.append(.init(address: address, members: members, values: value, scores: lps, distributions: dists))
      return (value, false)
    }

    mutating func observe(distribution: BatchValue, _ value: BatchValue, at address: Address, members: [Int],
                          _ context: RuntimeContext) throws -> Bool {
      if context.differentiating && (distribution.isDifferentiated || value.isDifferentiated) { throw Differentiation.notCarried("an observation") }
      let dists = try BatchDistributions(distribution, count: members.count)
      weigh(members, try dists.observationScores(value, count: members.count, within: address), stop: stopsAtObservations)
      return stopsAtObservations
    }

    mutating func factor(weight: BatchValue, at address: Address, members: [Int], _ context: RuntimeContext) throws -> Bool {
      if context.differentiating && weight.isDifferentiated { throw Differentiation.notCarried("a factor") }
      let n = members.count
      if let w = weight.reals(count: n), !w.contains(where: \.isNaN) {
        weigh(members, w, stop: stopsAtObservations)
      } else {
        weigh(members, try (0..<n).map { try Scoring.factor(weight.value(at: $0), within: address).lp }, stop: stopsAtObservations)
      }
      return stopsAtObservations
    }
  }
}

import Distributions
import Runtime

/// The choices of a batched SMC population, stored by column: one generation per
/// resampling, each holding the records its batches made (an address, the members that
/// chose there, their values, log-densities and distributions) and, for every particle,
/// the index of its ancestor in the generation before. Resampling starts a generation
/// and copies nothing, so N particles over T steps keep O(N·T) numbers in all, not a
/// trace object per particle; traces are read back through the ancestry when asked.
final class ParticleHistory {
  struct Record {
    let address: Address
    /// The particles of this generation that made the choice (rows of the columns).
    let members: [Int]
    let values: BatchValue
    let scores: [Double]
    let distributions: BatchDistributions

    /// Each particle's row in the record, or -1.
    func rows(count n: Int) -> [Int32] {
      var rows = [Int32](repeating: -1, count: n)
      for (k, m) in members.enumerated() { rows[m] = Int32(k) }
      return rows
    }
  }

  let parent: ParticleHistory?
  /// For each particle of this generation, its index in the parent's.
  private let ancestors: [Int32]
  private(set) var records: [Record] = []
  private var byAddress: [Address: [Int]] = [:]
  /// The particles in every generation.
  let count: Int
  /// How many generations come before this one.
  let generation: Int

  init(count: Int, parent: ParticleHistory? = nil, ancestors: [Int32] = []) {
    self.count = count
    self.parent = parent
    self.ancestors = ancestors
    generation = parent.map { $0.generation + 1 } ?? 0
  }

  func append(_ record: Record) {
    byAddress[record.address, default: []].append(records.count)
    records.append(record)
  }

  /// The generations from this one back to the first, each with the index every
  /// current particle has in it.
  private func lineage(while more: () -> Bool = { true }) -> [(ParticleHistory, [Int])] {
    var out: [(ParticleHistory, [Int])] = []
    var generation: ParticleHistory? = self, index = Array(0..<count)
    while let g = generation, more() {
      out.append((g, index))
      if g.parent != nil { index = index.map { Int(g.ancestors[$0]) } }
      generation = g.parent
    }
    return out
  }

  /// Every particle's newest value at `address` (nil where it has none).
  func values(_ address: Address) -> [Value?] {
    var out = [Value?](repeating: nil, count: count), remaining = count
    for (g, index) in lineage(while: { remaining > 0 }) {
      for r in g.byAddress[address, default: []].map({ g.records[$0] }) {
        let rows = r.rows(count: count)
        for i in 0..<count where out[i] == nil && rows[index[i]] >= 0 {
          out[i] = r.values.value(at: Int(rows[index[i]]))
          remaining -= 1
        }
      }
    }
    return out
  }

  /// Whether any of `members` (particles of this generation) has a choice at `address`
  /// made in generation `first` or later (no generation before `first` chose there).
  func contains(_ address: Address, members: [Int], since first: Int) -> Bool {
    var mask = [Bool](repeating: false, count: count)
    for m in members { mask[m] = true }
    var generation: ParticleHistory? = self
    while let g = generation {
      for r in g.byAddress[address, default: []].map({ g.records[$0] }) where r.members.contains(where: { mask[$0] }) { return true }
      guard let parent = g.parent, parent.generation >= first else { break }
      var up = [Bool](repeating: false, count: count)
      for i in 0..<count where mask[i] { up[Int(g.ancestors[i])] = true }
      mask = up
      generation = parent
    }
    return false
  }

  /// One choice of one particle, as a trace keeps it.
  struct Choice {
    let address: Address
    let value: Value
    let score: Double
    let distribution: Distribution
  }

  /// Every particle's choices in the order it made them.
  func choices() -> [[Choice]] {
    var out = [[Choice]](repeating: [], count: count)
    for (g, index) in lineage().reversed() {
      for r in g.records {
        let rows = r.rows(count: count)
        for i in 0..<count where rows[index[i]] >= 0 {
          let k = Int(rows[index[i]])
          out[i].append(Choice(address: r.address, value: r.values.value(at: k), score: r.scores[k], distribution: r.distributions[k]))
        }
      }
    }
    return out
  }
}

import Distributions
import Runtime

/// A batch's distributions at one choice or observation, as plain distributions: one
/// family with parameters by column, one distribution shared by every member, or one
/// per member. Draws and log-densities run over the whole batch where the family has
/// columns; otherwise member by member through `Scoring`, whose errors they share.
enum BatchDistributions {
  case family(DistributionColumn)
  case shared(Distribution)
  case each([Distribution])

  init(_ v: BatchValue, count n: Int) throws {
    switch v {
    case .column(.distributions(let d)): self = .family(d)
    case .uniform(let x): self = .shared(try Differentiation.distribution(x))
    case .column(let c): self = .each(try (0..<n).map { try Differentiation.distribution(c[$0]) })
    }
  }

  subscript(i: Int) -> Distribution {
    switch self {
    case .family(let d): return d[i]
    case .shared(let d): return d
    case .each(let ds): return ds[i]
    }
  }

  /// One draw for each of `n` members.
  func sample(count n: Int, _ rng: inout RandomGenerator) throws -> BatchValue {
    switch self {
    case .family(let d): return .column(try d.sample(&rng))
    case .shared(.scalar(let f, let p)): return .column(try DistributionColumn(f, p, count: n).sample(&rng))
    case .shared(let d): return .column(.packing(try (0..<n).map { _ in Value(try d.sample(&rng)) }))
    case .each(let ds): return .column(.packing(try ds.map { Value(try $0.sample(&rng)) }))
    }
  }

  /// Each member's log-density of a choice's value (`Scoring.choice`).
  func choiceScores(_ values: BatchValue, count n: Int, at address: Address) throws -> [Double] {
    try scores(values, count: n) { try Scoring.choice(self[$0], values.value(at: $0), at: address) }
  }

  /// Each member's log-density of an observed value (`Scoring.observation`).
  func observationScores(_ values: BatchValue, count n: Int, within address: Address) throws -> [Double] {
    try scores(values, count: n) { try Scoring.observation(.dist(self[$0]), values.value(at: $0), within: address).lp }
  }

  /// In bulk where one family scores numbers; member by member (`scalar`) otherwise,
  /// and for the member whose log-density is NaN, so that its error is the scalar one.
  private func scores(_ values: BatchValue, count n: Int, _ scalar: (Int) throws -> Double) throws -> [Double] {
    let family: DistributionColumn
    switch self {
    case .family(let d): family = d
    case .shared(.scalar(let f, let p)): family = try DistributionColumn(f, p, count: n)
    default: return try (0..<n).map(scalar)
    }
    guard let x = values.numbers(count: n), admitsNumbers(family.family, values) else { return try (0..<n).map(scalar) }
    let out = family.logDensities(x)
    if let bad = out.firstIndex(where: \.isNaN) { _ = try scalar(bad) }
    return out
  }

  /// Whether the values are of the kind the family draws (an Int for a Real family
  /// too), so that scoring them as numbers is what `Scoring` would do.
  private func admitsNumbers(_ f: Family, _ values: BatchValue) -> Bool {
    switch (f.kind, values) {
    case (.real, .uniform(.real)), (.real, .uniform(.int)), (.real, .column(.reals)), (.real, .column(.ints)),
         (.int, .uniform(.int)), (.int, .column(.ints)), (.bool, .uniform(.bool)), (.bool, .column(.bools)):
      return true
    default:
      return false
    }
  }
}

import Distributions
import Foundation
import Tensor
import XCTest

/// Sampling against the log-density: a chi-square test per distribution at a fixed
/// seed. Each test has a false-failure rate of 1e-3 (critical value at the 0.999
/// quantile); with fixed seeds the outcome is deterministic, and a pass at this level
/// is evidence that the sampler and the density agree.
final class GoodnessOfFitTests: XCTestCase {
  static let draws = 20_000

  /// The 0.999 quantile of χ²(df), by the Wilson–Hilferty approximation.
  static func critical(_ df: Int) -> Double {
    let d = Double(df), z = 3.0902323061678132
    let t = 1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot()
    return d * t * t * t
  }

  /// Chi-square of observed counts against expected probabilities, pooling categories
  /// with fewer than 5 expected draws.
  func assertFits(_ counts: [Int], _ probabilities: [Double], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let (statistic, limit, categories) = chiSquare(counts, probabilities)
    if !expectMismatch {
      XCTAssertLessThan(statistic, limit, "\(name): χ² = \(statistic) over \(categories) categories", file: file, line: line)
    } else {
      XCTAssertGreaterThan(statistic, limit, "\(name): the test failed to reject a wrong density", file: file, line: line)
    }
  }

  /// Set by the negative controls, which must be rejected.
  var expectMismatch = false

  func chiSquare(_ counts: [Int], _ probabilities: [Double]) -> (statistic: Double, limit: Double, categories: Int) {
    let n = Double(counts.reduce(0, +))
    var pooledObserved = 0.0, pooledExpected = 0.0, statistic = 0.0, categories = 0
    for (o, p) in zip(counts, probabilities) {
      if n * p < 5 {
        pooledObserved += Double(o)
        pooledExpected += n * p
      } else {
        statistic += (Double(o) - n * p) * (Double(o) - n * p) / (n * p)
        categories += 1
      }
    }
    let rest = max(0, n - probabilities.reduce(0) { $0 + n * $1 }) + pooledExpected
    let restObserved = pooledObserved + Double(max(0, Int(n) - counts.reduce(0, +)))
    if rest >= 5 {
      statistic += (restObserved - rest) * (restObserved - rest) / rest
      categories += 1
    }
    return (statistic, GoodnessOfFitTests.critical(max(1, categories - 1)), categories)
  }

  /// The test has power: a 5% error in a scale, or a shifted mass function, is rejected.
  func testWrongDensitiesAreRejected() throws {
    expectMismatch = true
    let d = try Distribution.make(.normal, Params(0, 1))
    try continuous({ try d.sample(&$0).number ?? .nan }, { Family.normal.logpdf(Params(0, 1.05), $0) }, "normal vs sd 1.05", seed: 50)
    let g = try Distribution.make(.gamma, Params(2, 1))
    try continuous({ try g.sample(&$0).number ?? .nan }, { Family.gamma.logpdf(Params(2, 1.05), $0) }, "gamma vs rate 1.05", seed: 51)
    var rng = RandomGenerator(seed: 52)
    let poisson = try Distribution.make(.poisson, Params(4))
    var counts = [Int](repeating: 0, count: 30)
    for _ in 0..<GoodnessOfFitTests.draws { counts[min(29, Int(try poisson.sample(&rng).number ?? 0))] += 1 }
    assertFits(counts, (0..<30).map { exp(Family.poisson.logpdf(Params(4.2), Double($0))) }, "poisson vs rate 4.2")
  }

  func discrete(_ d: Distribution, _ name: String, seed: UInt64) throws {
    var rng = RandomGenerator(seed: seed)
    var counts: [Int: Int] = [:]
    for _ in 0..<GoodnessOfFitTests.draws { counts[Int(try d.sample(&rng).number ?? .nan), default: 0] += 1 }
    let values = Array((counts.keys.min() ?? 0)...(counts.keys.max() ?? 0))
    let probabilities = try values.map { exp(try d.logpdf(.int($0))) }
    assertFits(values.map { counts[$0, default: 0] }, probabilities, name)
  }

  /// Continuous draws: bins at the quantiles of an independent batch; bin
  /// probabilities by Simpson integration of the density; both tails pooled.
  func continuous(_ sample: (inout RandomGenerator) throws -> Double, _ logpdf: (Double) -> Double, _ name: String, seed: UInt64) throws {
    var rng = RandomGenerator(seed: seed)
    let pilot = try (0..<2000).map { _ in try sample(&rng) }.sorted()
    let edges = (1..<20).map { pilot[$0 * 100] }
    var counts = [Int](repeating: 0, count: edges.count - 1)
    var tails = 0
    for _ in 0..<GoodnessOfFitTests.draws {
      let x = try sample(&rng)
      if x < edges[0] || x >= edges[edges.count - 1] { tails += 1; continue }
      var lo = 0, hi = edges.count - 1
      while hi - lo > 1 {
        let mid = (lo + hi) / 2
        if x >= edges[mid] { lo = mid } else { hi = mid }
      }
      counts[lo] += 1
    }
    let probabilities = (0..<(edges.count - 1)).map { i -> Double in
      let a = edges[i], b = edges[i + 1], m = 200
      let h = (b - a) / Double(m)
      var s = exp(logpdf(a)) + exp(logpdf(b))
      for k in 1..<m { s += (k % 2 == 1 ? 4 : 2) * exp(logpdf(a + Double(k) * h)) }
      return s * h / 3
    }
    assertFits(counts + [tails], probabilities + [max(0, 1 - probabilities.reduce(0, +))], name)
  }

  func testContinuousFamilies() throws {
    let cases: [(Family, Params)] = [
      (.normal, Params(0.5, 2)), (.lognormal, Params(0.1, 0.7)), (.uniform, Params(-1, 3)), (.beta, Params(0.5, 0.5)),
      (.beta, Params(3, 1.5)), (.gamma, Params(0.6, 2)), (.gamma, Params(7, 0.5)), (.invGamma, Params(3, 2)),
      (.exponential, Params(1.5)), (.cauchy, Params(1, 0.5)), (.halfNormal, Params(2)), (.halfCauchy, Params(1.5)),
      (.studentT, Params(3, 1, 2)), (.laplace, Params(-1, 0.7)), (.weibull, Params(1.5, 2)), (.weibull, Params(0.7, 1)),
      (.skewNormal, Params(1, 2, 4)), (.skewNormal, Params(0, 1, -1.5)), (.vonMises, Params(2.5, 3)), (.vonMises, Params(0, 0.5)),
      (.vonMises, Params(-1, 200)),
    ]
    for (seed, (family, p)) in cases.enumerated() {
      let d = try Distribution.make(family, p)
      try continuous({ try d.sample(&$0).number ?? .nan }, { family.logpdf(p, $0) }, "\(family.name)\(p)", seed: UInt64(seed + 1))
    }
  }

  func testDiscreteFamilies() throws {
    try discrete(try .make(.bernoulli, Params(0.3)), "bernoulli", seed: 1)
    try discrete(try .make(.bernoulliLogit, Params(-0.7)), "bernoulli_logit", seed: 12)
    try discrete(try .make(.binomial, Params(20, 0.3)), "binomial small n", seed: 2)
    try discrete(try .make(.binomial, Params(500, 0.2)), "binomial large n", seed: 3)
    try discrete(try .make(.binomial, Params(300, 0.85)), "binomial p > 1/2", seed: 4)
    try discrete(try .make(.binomial, Params(3000, 0.3)), "binomial by order statistics", seed: 18)
    try discrete(try .make(.binomial, Params(2500, 0.97)), "binomial by order statistics, p near 1", seed: 19)
    try discrete(try .make(.poisson, Params(3.5)), "poisson small rate", seed: 5)
    try discrete(try .make(.poisson, Params(60)), "poisson large rate", seed: 6)
    try discrete(try .make(.geometric, Params(0.2)), "geometric", seed: 7)
    try discrete(try .make(.uniformDiscrete, Params(-2, 5)), "uniform_discrete", seed: 8)
    try discrete(try .make(.negativeBinomial, Params(3, 0.4)), "negative_binomial", seed: 13)
    try discrete(try .make(.negativeBinomial, Params(0.6, 0.05)), "negative_binomial, large counts", seed: 14)
    try discrete(try .make(.betaBinomial, Params(15, 0.7, 2.2)), "beta_binomial", seed: 15)
    try discrete(try .make(.poissonLog, Params(1.3)), "poisson_log", seed: 16)
    try discrete(try .make(.binomialLogit, Params(30, 0.8)), "binomial_logit", seed: 17)
    try discrete(try .categorical(probs: [0.1, 0.6, 0.0, 0.3]), "categorical", seed: 9)
    try discrete(try .categorical(logits: [0.5, -1, 2]), "categorical_logit", seed: 10)
    try discrete(try .mixture(weights: [0.3, 0.7], [try .make(.poisson, Params(2)), try .make(.poisson, Params(9))]),
                 "mixture of poissons", seed: 11)
  }

  func testMultivariateMarginals() throws {
    // Dirichlet marginals are Beta(α_i, α₀ − α_i).
    let alpha = [2.0, 3.0, 0.5]
    let dir = try Distribution.dirichlet(alpha)
    for i in 0..<3 {
      let p = Params(alpha[i], alpha.reduce(0, +) - alpha[i])
      try continuous({ if case .tensor(let t) = try dir.sample(&$0) { return t.data[i] } else { return .nan } },
                 { Family.beta.logpdf(p, $0) }, "dirichlet marginal \(i)", seed: UInt64(20 + i))
    }
    // Multivariate normal marginals are normal; a linear combination too.
    let m = try MultivariateNormal(mean: Tensor(shape: [2], data: [1, -1]), cov: Tensor(shape: [2, 2], data: [2, 0.6, 0.6, 1]))
    let mvn = Distribution.mvnormal(m)
    try continuous({ if case .tensor(let t) = try mvn.sample(&$0) { return t.data[0] } else { return .nan } },
               { Family.normal.logpdf(Params(1, 2.0.squareRoot()), $0) }, "mvnormal x0", seed: 30)
    // x0 + x1 ~ N(0, 2 + 1 + 2·0.6)
    try continuous({ if case .tensor(let t) = try mvn.sample(&$0) { return t.data[0] + t.data[1] } else { return .nan } },
               { Family.normal.logpdf(Params(0, 4.2.squareRoot()), $0) }, "mvnormal x0 + x1", seed: 31)
  }

  func testProductsIidMixturesAndDirac() throws {
    let product = try Distribution.make(.gamma, [Tensor(shape: [3], data: [2, 2, 2]), Tensor(shape: [], data: [1.5])])
    var buffer: [Double] = []
    try continuous({ rng in
      if buffer.isEmpty, case .tensor(let t) = try product.sample(&rng) { buffer = t.data }
      return buffer.removeLast()
    }, { Family.gamma.logpdf(Params(2, 1.5), $0) }, "gamma product", seed: 40)
    let iid = Distribution.iid(try .make(.normal, Params(0, 1)), 4)
    try continuous({ rng in
      if buffer.isEmpty, case .tensor(let t) = try iid.sample(&rng) { buffer = t.data }
      return buffer.removeLast()
    }, { Family.normal.logpdf(Params(0, 1), $0) }, "iid normal", seed: 41)
    let mixture = try Distribution.mixture(weights: [1, 3], [try .make(.normal, Params(-2, 0.5)), try .make(.normal, Params(1, 1))])
    try continuous({ try mixture.sample(&$0).number ?? .nan }, { (try? mixture.logpdf(.real($0))) ?? .nan }, "normal mixture", seed: 42)
    var rng = RandomGenerator(seed: 43)
    XCTAssertEqual(try Distribution.dirac(.real(2.5)).sample(&rng), .real(2.5))
    XCTAssertEqual(try Distribution.dirac(.real(2.5)).logpdf(.real(2.5)), 0)
    XCTAssertEqual(try Distribution.dirac(.real(2.5)).logpdf(.real(2)), -.infinity)
  }

  func testGeneratorStreamsAreReproducibleAndIndependent() {
    var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
    XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
    var parent = RandomGenerator(seed: 9)
    var child = parent.split()
    let fromChild = (0..<1000).map { _ in child.next() }
    let fromParent = (0..<1000).map { _ in parent.next() }
    XCTAssertTrue(Set(fromChild).isDisjoint(with: fromParent))
    // Uniform draws lie strictly inside (0, 1) with mean 1/2 (4 standard errors).
    var u = RandomGenerator(seed: 10)
    let draws = (0..<100_000).map { _ in u.uniform() }
    XCTAssertTrue(draws.allSatisfy { $0 > 0 && $0 < 1 })
    XCTAssertEqual(draws.reduce(0, +) / 1e5, 0.5, accuracy: 4 * (1.0 / 12).squareRoot() / 1e5.squareRoot())
  }
}

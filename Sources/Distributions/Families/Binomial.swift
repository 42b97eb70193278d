import Foundation
import Tensor

/// binomial(n, p): successes in n trials.
struct Binomial: FamilyDefinition {
  var name: String { "binomial" }
  var parameters: [FamilyParameter] { [FamilyParameter("n", .nonNegativeInteger), FamilyParameter("p", .probability)] }
  var support: Support { .integers(.value(0), .parameter(0)) }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let logChoose = lgamma(p.a + 1) - lgamma(x + 1) - lgamma(p.a - x + 1)
    return logChoose + Special.xlogy(x, p.b) + Special.xlog1py(p.a - x, -p.b)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    (Params(0, x / p.b - (p.a - x) / (1 - p.b)), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { Double(Binomial.draw(Int(p.a), p.b, &rng)) }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }

  /// By counting successes for small n, else by summing geometric waiting times between
  /// successes (O(np) expected work, p ≤ 1/2 by symmetry). Beyond 1000 trials, first
  /// halves n by order statistics (Devroye 1986, X.4): the middle one of n uniforms,
  /// V ~ beta(i, n + 1 − i), says whether at least i trials succeed, and the rest are
  /// binomial again — exact, with O(log n) beta draws.
  static func draw(_ n: Int, _ p: Double, _ rng: inout RandomGenerator) -> Int {
    if p <= 0 || n == 0 { return 0 }
    if p >= 1 { return n }
    if n > 1000 {
      let i = (n + 1) / 2
      let v = Family.beta.sample(Params(Double(i), Double(n + 1 - i)), &rng)
      if p < v { return draw(i - 1, p / v, &rng) }
      return i + draw(n - i, (p - v) / (1 - v), &rng)
    }
    if p > 0.5 { return n - draw(n, 1 - p, &rng) }
    if n <= 64 {
      var k = 0
      for _ in 0..<n where rng.uniform() < p { k += 1 }
      return k
    }
    // Waiting times: the number of successes whose geometric gaps fit in n trials.
    let logq = log1p(-p)
    var k = 0, position = 0
    while true {
      let gap = floor(log(rng.uniform()) / logq) + 1
      if gap > Double(n - position) { return k }
      position += Int(gap)
      k += 1
    }
  }
}

extension Family {
  public static let binomial = Family(Binomial())
}

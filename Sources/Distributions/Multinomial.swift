import Foundation
import Tensor

/// multinomial(n, probs), Stan's `multinomial` and SciPy's `multinomial(n, p)`: counts of
/// n independent categorical draws, as a vector of K Reals summing to n, with mass
/// n!/Πₖ xₖ! · Πₖ pₖ^xₖ. Drawn by conditional binomials.
public enum Multinomial {
  /// log P(x) with normalized log-probabilities; −inf unless x holds non-negative
  /// integers summing to n, NaN at NaN.
  public static func logMass(_ x: [Double], n: Int, logProbs: [Double]) -> Double {
    if x.contains(where: \.isNaN) { return .nan }
    guard x.count == logProbs.count, x.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }),
          x.reduce(0, +) == Double(n) else { return -.infinity }
    var total: Double = Foundation.lgamma(Double(n) + 1)
    for (count, lp) in zip(x, logProbs) where count > 0 { total += count * lp - lgamma(count + 1) }
    return total
  }

  /// One draw: the count of each category given the ones before it, binomially.
  public static func sample(n: Int, logProbs: [Double], _ rng: inout RandomGenerator) -> [Double] {
    var left = n, mass = 1.0
    return logProbs.map { lp in
      let p = exp(lp)
      guard left > 0, mass > 0 else { return 0 }
      let k = Binomial.draw(left, min(1, p / mass), &rng)
      left -= k
      mass -= p
      return Double(k)
    }
  }
}

import Distributions
import Foundation

/// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao and Gabry 2024,
/// "Pareto smoothed importance sampling"), as the R package loo and ArviZ compute it:
/// the largest M = ⌈min(0.2 S, 3√S)⌉ log ratios of S are replaced by the expected order
/// statistics of a generalized Pareto fitted to them (Zhang and Stephens 2009, with
/// loo's weakly informative prior on k), then truncated at the largest raw ratio. k̂,
/// the fitted shape, says how far the smoothed estimate can be trusted: above 0.7 it
/// cannot.
enum PSIS {
  /// Smoothed log weights (not normalized) for one set of log ratios, and k̂ (+inf when
  /// the tail is too short to fit, −inf when it is constant).
  static func smooth(_ logRatios: [Double]) -> (logWeights: [Double], k: Double) {
    let s = logRatios.count
    let largest = logRatios.max() ?? 0
    var lw = logRatios.map { $0 - largest }
    var k = Double.infinity
    let tail = Int(min(0.2 * Double(s), 3 * Double(s).squareRoot()).rounded(.up))
    if tail >= 5 && tail < s {
      let order = lw.indices.sorted { lw[$0] < lw[$1] }
      let tailIndices = Array(order[(s - tail)...])
      let tailValues = tailIndices.map { lw[$0] }
      // A constant tail (a likelihood that does not depend on the parameters) has
      // weights as light as they come: k̂ = −inf, where loo and ArviZ report +inf.
      k = -.infinity
      if (tailValues.last ?? 0) - (tailValues.first ?? 0) > Double.ulpOfOne / 100 {
        let cutoff = lw[order[s - tail - 1]], expCutoff = exp(cutoff)
        let fit = generalizedPareto(tailValues.map { exp($0) - expCutoff })
        if fit.k.isFinite {
          for (j, index) in tailIndices.enumerated() {
            let p = (Double(j) + 0.5) / Double(tail)
            lw[index] = log(quantile(p, k: fit.k, sigma: fit.sigma) + expCutoff)
          }
        }
        k = fit.k
      }
    }
    return (lw.map { min($0, 0) + largest }, k)
  }

  /// The generalized Pareto's quantile at p.
  static func quantile(_ p: Double, k: Double, sigma: Double) -> Double {
    k == 0 ? -sigma * log1p(-p) : sigma * expm1(-k * log1p(-p)) / k
  }

  /// Zhang and Stephens' empirical-Bayes fit of a generalized Pareto to positive
  /// exceedances sorted increasingly, with k shrunk toward 0.5 as if by 10 more points.
  static func generalizedPareto(_ x: [Double]) -> (k: Double, sigma: Double) {
    let n = x.count, count = Double(x.count), m = 30 + Int(count.squareRoot())
    let prior = 3.0, largest: Double = x[n - 1]
    let quartile: Double = x[max(Int((count / 4 + 0.5).rounded(.down)) - 1, 0)]
    let thetas: [Double] = (1...m).map { j in
      let spread: Double = 1 - (Double(m) / (Double(j) - 0.5)).squareRoot()
      return 1 / largest + spread / prior / quartile
    }
    // The profile log-likelihood of each θ.
    let logLikelihoods: [Double] = thetas.map { theta in
      let a = -theta
      var total = 0.0
      for v in x { total += log1p(a * v) }
      let kk = total / count
      return count * (log(a / kk) - kk - 1)
    }
    let total = Special.logsumexp(logLikelihoods)
    var thetaHat = 0.0
    for (theta, l) in zip(thetas, logLikelihoods) { thetaHat += theta * exp(l - total) }
    var k = 0.0
    for v in x { k += log1p(-thetaHat * v) }
    k /= count
    let sigma = -k / thetaHat
    let shrunk = (k * count + 10 * 0.5) / (count + 10)
    return (shrunk, sigma)
  }
}

import Foundation

/// MCMC diagnostics as in Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
/// "Rank-normalization, folding, and localization: an improved R̂", computed the way
/// ArviZ and Stan do: split chains, rank-normalized draws, R̂ as the larger of the bulk
/// and tail values, and bulk ESS with Geyer's initial positive and monotone sequences.
/// `draws[c][i]` is draw i of chain c; chains have equal lengths.
public enum Diagnostics {
  /// What the diagnostics say about one element of a choice: how many independent
  /// draws its bulk and tails are worth, the standard error of its mean, and R̂.
  public struct Element {
    public var bulkESS: Double
    public var tailESS: Double
    public var mcse: Double
    public var rhat: Double

    /// The diagnostics of draws by chain.
    public init(_ draws: [[Double]]) {
      bulkESS = Diagnostics.bulkESS(draws)
      tailESS = Diagnostics.tailESS(draws)
      mcse = Diagnostics.mcseMean(draws)
      rhat = Diagnostics.splitRhat(draws)
    }

    public init(bulkESS: Double, tailESS: Double, mcse: Double, rhat: Double) {
      (self.bulkESS, self.tailESS, self.mcse, self.rhat) = (bulkESS, tailESS, mcse, rhat)
    }
  }

  /// Φ⁻¹(p): Acklam's rational approximation refined by two Halley steps.
  public static func normalQuantile(_ p: Double) -> Double {
    if p <= 0 { return -.infinity }
    if p >= 1 { return .infinity }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
             -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
             -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
             4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    var x: Double
    if p < 0.02425 {
      let q = (-2 * log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - 0.02425 {
      let q = p - 0.5, r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log1p(-p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    for _ in 0..<2 {
      let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
      let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
      x -= u / (1 + x * u / 2)
    }
    return x
  }

  /// Each chain cut into its first and last halves (the middle draw of an odd length dropped).
  public static func splitChains(_ draws: [[Double]]) -> [[Double]] {
    draws.flatMap { chain -> [[Double]] in
      let half = chain.count / 2
      return [Array(chain.prefix(half)), Array(chain.suffix(half))]
    }
  }

  /// Draws replaced by normal scores of their pooled ranks (average ranks for ties).
  public static func rankNormalized(_ draws: [[Double]]) -> [[Double]] {
    let flat = draws.flatMap { $0 }
    let order = flat.indices.sorted { flat[$0] < flat[$1] }
    var ranks = [Double](repeating: 0, count: flat.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && flat[order[j + 1]] == flat[order[i]] { j += 1 }
      let rank = Double(i + j) / 2 + 1
      for k in i...j { ranks[order[k]] = rank }
      i = j + 1
    }
    let n = Double(flat.count)
    var k = 0
    return draws.map { chain in chain.map { _ in
      defer { k += 1 }
      return normalQuantile((ranks[k] - 0.375) / (n + 0.25))
    } }
  }

  static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

  static func variance(_ x: [Double]) -> Double {
    let m = mean(x)
    return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
  }

  /// Plain R̂ of (already split) chains.
  static func rhat(_ chains: [[Double]]) -> Double {
    let n = Double(chains[0].count)
    let between = n * variance(chains.map(mean))
    let within = mean(chains.map(variance))
    return ((between / within + n - 1) / n).squareRoot()
  }

  /// Rank-normalized split R̂: the larger of the bulk and the tail (folded) values.
  /// A single chain is split in two like every other (as Stan and ArviZ do); NaN for
  /// draws that never change and chains under four draws.
  public static func splitRhat(_ draws: [[Double]]) -> Double {
    guard !isConstant(draws) else { return .nan }
    let split = splitChains(draws)
    guard split.count >= 2, split[0].count >= 2 else { return .nan }
    let flat = split.flatMap { $0 }.sorted()
    let median = flat.count % 2 == 1 ? flat[flat.count / 2] : (flat[flat.count / 2 - 1] + flat[flat.count / 2]) / 2
    let bulk = rhat(rankNormalized(split))
    let tail = rhat(rankNormalized(split.map { $0.map { abs($0 - median) } }))
    return max(bulk, tail)
  }

  /// The biased autocovariances of chains averaged over the chains, computed lag by lag
  /// as the ESS asks for them: Geyer's sums stop at the first negative pair, so a chain
  /// that mixes costs a few lags, not n² (a chain of 4000 draws: ~10⁵ operations, not 10⁷).
  struct MeanAutocovariance {
    let centered: [[Double]]
    let n: Int
    private(set) var lags: [Double] = []

    init(_ chains: [[Double]]) {
      n = chains[0].count
      centered = chains.map { x in
        let m = Diagnostics.mean(x)
        return x.map { $0 - m }
      }
    }

    mutating func at(_ t: Int) -> Double {
      while lags.count <= t {
        let lag = lags.count
        var s = 0.0
        for x in centered {
          for i in 0..<(n - lag) { s += x[i] * x[i + lag] }
        }
        lags.append(s / Double(n) / Double(centered.count))
      }
      return lags[t]
    }
  }

  /// ESS of chains (Geyer's initial positive and monotone sequence estimators).
  static func ess(_ chains: [[Double]]) -> Double {
    let m = Double(chains.count), n = chains[0].count
    var meanAcov = MeanAutocovariance(chains)
    let meanVar = meanAcov.at(0) * Double(n) / Double(n - 1)
    var varPlus = meanVar * Double(n - 1) / Double(n)
    if chains.count > 1 { varPlus += variance(chains.map(mean)) }
    var rho = [Double](repeating: 0, count: n)
    var even = 1.0
    var odd = 1 - (meanVar - meanAcov.at(1)) / varPlus
    rho[0] = even
    rho[1] = odd
    var t = 1
    while t < n - 3 && even + odd > 0 {
      even = 1 - (meanVar - meanAcov.at(t + 1)) / varPlus
      odd = 1 - (meanVar - meanAcov.at(t + 2)) / varPlus
      if even + odd >= 0 {
        rho[t + 1] = even
        rho[t + 2] = odd
      }
      t += 2
    }
    let maxT = t - 2
    if even > 0 { rho[maxT + 1] = even }
    t = 1
    while t <= maxT - 2 {
      if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
        rho[t + 1] = (rho[t - 1] + rho[t]) / 2
        rho[t + 2] = rho[t + 1]
      }
      t += 2
    }
    let total = m * Double(n)
    // maxT is -1 when the first pair is already negative (anti-correlated draws).
    var tau = -1 + 2 * rho.prefix(maxT + 1).reduce(0, +) + rho[maxT + 1]
    tau = max(tau, 1 / log10(total))
    return total / tau
  }

  /// Whether every draw of every chain is the same value.
  static func isConstant(_ draws: [[Double]]) -> Bool {
    guard let first = draws.first?.first else { return true }
    return draws.allSatisfy { $0.allSatisfy { $0 == first } }
  }

  /// Rank-normalized bulk ESS.
  /// NaN for draws that never change (as ArviZ and Stan report them): a stuck chain.
  public static func bulkESS(_ draws: [[Double]]) -> Double {
    let split = splitChains(draws)
    guard split[0].count >= 4, !isConstant(draws) else { return .nan }
    return ess(rankNormalized(split))
  }

  /// Tail ESS: the smaller ESS of the indicators of the 5% and 95% quantiles (how well
  /// the chains pin down the tails, and so the 90% interval). NaN as for the bulk ESS.
  public static func tailESS(_ draws: [[Double]]) -> Double {
    let split = splitChains(draws)
    guard split[0].count >= 4, !isConstant(draws) else { return .nan }
    let sorted = draws.flatMap { $0 }.sorted()
    let estimates = [0.05, 0.95].map { q -> Double in
      let cut = quantile(sorted, q)
      let indicator = split.map { $0.map { $0 <= cut ? 1.0 : 0.0 } }
      // An indicator that never changes (a quantile at the smallest or largest value
      // of few distinct ones) says nothing about mixing; the other quantile decides.
      return isConstant(indicator) ? .infinity : ess(indicator)
    }
    let smallest = estimates.min() ?? .nan
    return smallest.isInfinite ? .nan : smallest
  }

  /// The Monte Carlo standard error of the posterior mean: sd / √ESS, with the ESS of
  /// the draws themselves (split chains, not rank-normalized), as Stan and ArviZ give it.
  public static func mcseMean(_ draws: [[Double]]) -> Double {
    let split = splitChains(draws)
    guard split[0].count >= 4, !isConstant(draws) else { return .nan }
    return variance(draws.flatMap { $0 }).squareRoot() / ess(split).squareRoot()
  }

  /// E-BFMI of one chain's energies (Betancourt 2016, "Diagnosing suboptimal cotangent
  /// disintegrations in Hamiltonian Monte Carlo"): the mean squared jump in energy over
  /// its variance. Below 0.3, resampling the momentum explores the energy poorly and the
  /// chain is likely to miss the posterior's tails. NaN under two draws.
  public static func energyBFMI(_ energy: [Double]) -> Double {
    guard energy.count >= 2 else { return .nan }
    let m = mean(energy)
    let jumps = zip(energy.dropFirst(), energy).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    return jumps / energy.reduce(0) { $0 + ($1 - m) * ($1 - m) }
  }

  /// The q-quantile of sorted values, linearly interpolated (NumPy's default).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let h = q * Double(sorted.count - 1)
    let below = Int(h.rounded(.down)), above = min(below + 1, sorted.count - 1)
    return sorted[below] + (h - Double(below)) * (sorted[above] - sorted[below])
  }
}

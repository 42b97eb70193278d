import Distributions
import Foundation
import Runtime
import Tensor

/// `loo`: PSIS leave-one-out cross-validation (Vehtari, Gelman and Gabry 2017), as the R
/// package loo and ArviZ report it — the expected log pointwise predictive density, its
/// standard error, the effective number of parameters and each observation's k̂ — from
/// a matrix of per-draw, per-observation log-likelihoods. Relative efficiency is taken
/// as 1 (loo's `r_eff = 1`), which sizes the Pareto tail for independent draws.
enum LOO {
  struct Result {
    let elpd: Double
    let se: Double
    let pLOO: Double
    let k: [Double]
  }

  /// From log_lik[s, i] (S draws by N observations, row-major).
  static func estimate(_ logLik: Tensor) throws -> Result {
    guard logLik.rank == 2, logLik.shape[0] >= 2, logLik.shape[1] >= 1 else {
      throw RuntimeError("loo: the log-likelihood must be a matrix of draws by observations (at least 2 draws), got shape \(logLik.shape)")
    }
    let (s, n) = (logLik.shape[0], logLik.shape[1])
    if let bad = logLik.data.firstIndex(where: { !$0.isFinite }) {
      let what = logLik.data[bad].isNaN ? "NaN" : logLik.data[bad] > 0 ? "+inf" : "-inf (the observation is impossible under that draw, so leaving it out has no finite importance weight)"
      throw RuntimeError("loo: the log-likelihood of observation \(bad % n) at draw \(bad / n) is \(what)")
    }
    var pointwise = [Double](repeating: 0, count: n), lppd = 0.0, ks = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let column = (0..<s).map { logLik.data[$0 * n + i] }
      let (lw, k) = PSIS.smooth(column.map { -$0 })
      let normalizer = Special.logsumexp(lw)
      pointwise[i] = Special.logsumexp(zip(lw, column).map { $0 - normalizer + $1 })
      lppd += Special.logsumexp(column) - log(Double(s))
      ks[i] = k
    }
    let elpd = pointwise.reduce(0, +), mean = elpd / Double(n)
    let variance = pointwise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(n - 1, 1))
    return Result(elpd: elpd, se: (Double(n) * variance).squareRoot(), pLOO: lppd - elpd, k: ks)
  }

  static let recordType = "{elpd_loo: Real, looic: Real, p_loo: Real, pareto_k: Tensor, se: Real}"

  /// The result as a record, with loo's warning when some k̂ exceed 0.7.
  static func record(_ r: Result, _ c: CallContext) -> Value {
    let bad = r.k.filter { !($0 <= 0.7) }.count
    if bad > 0 {
      c.runtime.warn("loo: \(bad) of \(r.k.count) observation\(r.k.count == 1 ? "" : "s") have a Pareto k above 0.7, so their PSIS-LOO estimates are unreliable (the posterior changes too much without them); use exact leave-one-out for those observations, or a more robust model")
    }
    return .record(names: ["elpd_loo", "looic", "p_loo", "pareto_k", "se"],
                   values: [.real(r.elpd), .real(-2 * r.elpd), .real(r.pLOO), .tensor(Tensor(shape: [r.k.count], data: r.k)), .real(r.se)])
  }

  static func declare(_ r: BuiltinRegistry) {
    r.declare("fn loo(log_lik: Tensor) -> \(recordType)") { a, c in
      record(try LOO.estimate(try a.tensor("log_lik")), c)
    }
    r.declare("fn loo(samples: Samples, log_lik: fn(Trace[r]) -> Tensor) -> \(recordType)") { a, c in
      guard case .object(let o) = try a["samples"], let samples = o as? Samples else { throw c.fail("expected samples") }
      let f = try a["log_lik"]
      var rows: [Double] = [], width: Int?
      for trace in samples.chains.joined() {
        try c.runtime.checkLimits()
        let t = try c.call(f, [.object(trace)]).asTensor()
        guard t.rank == 1, width == nil || width == t.count else {
          throw c.fail("loo: log_lik must return a vector with one entry per observation, the same length for every draw; got shape \(t.shape)")
        }
        width = t.count
        rows += t.data
      }
      do {
        return record(try LOO.estimate(Tensor(shape: [rows.count / max(width ?? 1, 1), width ?? 0], data: rows)), c)
      } catch let e as RuntimeError { throw c.fail(e.message) }
    }
  }
}

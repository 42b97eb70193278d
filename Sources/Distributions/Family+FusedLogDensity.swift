import Foundation
import Tensor

extension Family {
  /// The log-density of an elementwise product and its gradients in one pass, for the
  /// families models score in bulk (normal, bernoulli_logit), when every parameter has
  /// the value's element count or is a scalar; nil otherwise. Gradients come at full
  /// size, one per parameter, then for the value.
  public func fusedLogDensity(_ params: [Tensor], _ x: Tensor) -> (value: Double, parameters: [[Double]], x: [Double])? {
    let n = x.count
    guard params.allSatisfy({ $0.count == n || $0.count == 1 }) else { return nil }
    switch self {
    case .bernoulliLogit:
      var g = [Double](repeating: 0, count: n)
      var total = 0.0
      let logits = params[0].data, single = params[0].count == 1
      for i in 0..<n {
        let l = single ? logits[0] : logits[i], xi = x.data[i]
        let e = exp(-abs(l)), p = l >= 0 ? 1 / (1 + e) : e / (1 + e)
        let softplusNegative = max(-l, 0) + log1p(e)  // −log σ(l)
        if xi == 1 {
          total -= softplusNegative
        } else if xi == 0 {
          total -= softplusNegative + l
        } else {
          total = -.infinity
        }
        g[i] = xi - p
      }
      return (total, [g], [Double](repeating: 0, count: n))
    case .normal:
      var gMu = [Double](repeating: 0, count: n), gSigma = gMu, gx = gMu
      var total = 0.0
      let mu = params[0].data, sigma = params[1].data
      let singleMu = params[0].count == 1, singleSigma = params[1].count == 1
      let halfLog2Pi = 0.5 * log(2 * Double.pi)
      var logSigma = singleSigma ? log(sigma[0]) : 0
      for i in 0..<n {
        let m = singleMu ? mu[0] : mu[i], s = singleSigma ? sigma[0] : sigma[i]
        if !singleSigma { logSigma = log(s) }
        let z = (x.data[i] - m) / s
        total += -0.5 * z * z - logSigma - halfLog2Pi
        gMu[i] = z / s
        gSigma[i] = (z * z - 1) / s
        gx[i] = -z / s
      }
      return (total, [gMu, gSigma], gx)
    default:
      return nil
    }
  }
}

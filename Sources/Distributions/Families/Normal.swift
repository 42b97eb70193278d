import Foundation
import Tensor

/// normal(mu, sd): the Gaussian.
struct Normal: FamilyDefinition {
  var name: String { "normal" }
  var parameters: [FamilyParameter] { [FamilyParameter("mu", .finite), FamilyParameter("sd", .positive)] }
  var support: Support { .real }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = (x - p.a) / p.b
    return -0.5 * z * z - log(p.b) - 0.5 * log(2 * .pi)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let z = (x - p.a) / p.b
    return (Params(z / p.b, (z * z - 1) / p.b), -z / p.b)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.a + p.b * rng.normal() }

  /// The batched loop, with log σ taken once where every element shares σ.
  func logDensities(_ elements: ElementParameters, _ x: [Double], into out: inout [Double]) {
    let mu = elements.full[0], sd = elements.full[1], sharedMu = mu.count == 1, sharedSd = sd.count == 1
    let halfLog2Pi = 0.5 * log(2 * Double.pi), sharedLogSd = sharedSd ? log(sd[0]) : 0
    for i in 0..<elements.count {
      let v = x[i], s = sharedSd ? sd[0] : sd[i], z = (v - (sharedMu ? mu[0] : mu[i])) / s
      out[i] = v.isNaN ? .nan : -0.5 * z * z - (sharedSd ? sharedLogSd : log(s)) - halfLog2Pi
    }
  }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { $0.normal() }, draw: { p, e in try p[0] + p[1] * e })
  }

  /// ∂μ: (1/(σ√2π))·(N(μ + σR) − N(μ − σR)) with R Rayleigh(1); ∂σ: (1/σ)·(μ + σM − (μ + σZ))
  /// with M double-sided Maxwell and Z standard normal.
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { p, _, rng in
      let (mu, sigma) = (p.a, p.b)
      let r = (-2 * log(rng.uniform())).squareRoot()
      let z = rng.normal()
      let m = (0..<3).reduce(0.0) { s, _ in let e = rng.normal(); return s + e * e }.squareRoot() * (rng.uniform() < 0.5 ? -1 : 1)
      return [.init(parameter: 0, coefficient: 1 / (sigma * (2 * Double.pi).squareRoot()), plus: mu + sigma * r, minus: mu - sigma * r),
              .init(parameter: 1, coefficient: 1 / sigma, plus: mu + sigma * m, minus: mu + sigma * z)]
    }
  }

  func fusedLogDensity(_ params: [Tensor], _ x: Tensor) -> FusedLogDensity? {
    let n = x.count
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
    return FusedLogDensity(value: total, parameters: [gMu, gSigma], x: gx)
  }
}

extension Family {
  public static let normal = Family(Normal())
}

import Foundation
import Tensor

/// A multivariate normal with its Cholesky factor computed once (cov = L Lᵀ).
public struct MultivariateNormal: Sendable, Equatable {
  public let mean: [Double]
  public let cov: [Double]
  /// Lower-triangular factor, row-major d×d.
  public let cholesky: [Double]
  public var dimension: Int { mean.count }

  public init(mean: Tensor, cov: Tensor) throws {
    let d = mean.count
    guard mean.rank == 1, d > 0 else { throw DistributionError("mvnormal: mean must be a non-empty vector, got shape \(mean.shape)") }
    guard cov.shape == [d, d] else { throw DistributionError("mvnormal: cov must be \(d)×\(d) to match the mean, got shape \(cov.shape)") }
    for i in 0..<d { for j in 0..<i where abs(cov.data[i * d + j] - cov.data[j * d + i]) > 1e-10 * (1 + abs(cov.data[i * d + j])) {
      throw DistributionError("mvnormal: cov must be symmetric")
    } }
    guard let l = MultivariateNormal.factor(cov.data, d) else {
      throw DistributionError.invalidParameter("mvnormal: cov must be positive definite")
    }
    self.mean = mean.data
    self.cov = cov.data
    self.cholesky = l
  }

  /// The Cholesky factor, or nil if the matrix is not positive definite.
  static func factor(_ a: [Double], _ d: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
      var s = a[j * d + j]
      for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
      guard s > 0, s.isFinite else { return nil }
      let ljj = s.squareRoot()
      l[j * d + j] = ljj
      for i in (j + 1)..<max(j + 1, d) {
        var t = a[i * d + j]
        for k in 0..<j { t -= l[i * d + k] * l[j * d + k] }
        l[i * d + j] = t / ljj
      }
    }
    return l
  }

  /// Solves L z = r by forward substitution.
  func solveLower(_ r: [Double]) -> [Double] {
    let d = dimension
    var z = r
    for i in 0..<d {
      var s = z[i]
      for k in 0..<i { s -= cholesky[i * d + k] * z[k] }
      z[i] = s / cholesky[i * d + i]
    }
    return z
  }

  /// Solves Lᵀ y = z by back substitution.
  func solveUpper(_ z: [Double]) -> [Double] {
    let d = dimension
    var y = z
    for i in stride(from: d - 1, through: 0, by: -1) {
      var s = y[i]
      for k in (i + 1)..<max(i + 1, d) { s -= cholesky[k * d + i] * y[k] }
      y[i] = s / cholesky[i * d + i]
    }
    return y
  }

  public func logpdf(_ x: [Double]) -> Double {
    let d = dimension
    let z = solveLower(zip(x, mean).map { $0 - $1 })
    var logDet = 0.0
    for i in 0..<d { logDet += log(cholesky[i * d + i]) }
    return -0.5 * z.reduce(0) { $0 + $1 * $1 } - logDet - 0.5 * Double(d) * log(2 * .pi)
  }

  public func sample(_ rng: inout RandomGenerator) -> [Double] {
    let d = dimension
    let e = (0..<d).map { _ in rng.normal() }
    return (0..<d).map { i in mean[i] + (0...i).reduce(0) { $0 + cholesky[i * d + $1] * e[$1] } }
  }

  /// Gradients of logpdf at x: with r = x − μ, ∂μ = Σ⁻¹r, ∂x = −Σ⁻¹r,
  /// ∂Σ = ½(Σ⁻¹ r rᵀ Σ⁻¹ − Σ⁻¹).
  public func gradient(_ x: [Double]) -> (mean: [Double], cov: [Double], x: [Double]) {
    let d = dimension
    let s = solveUpper(solveLower(zip(x, mean).map { $0 - $1 }))
    var inverse = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
      var e = [Double](repeating: 0, count: d)
      e[j] = 1
      let column = solveUpper(solveLower(e))
      for i in 0..<d { inverse[i * d + j] = column[i] }
    }
    var dCov = [Double](repeating: 0, count: d * d)
    for i in 0..<d { for j in 0..<d { dCov[i * d + j] = 0.5 * (s[i] * s[j] - inverse[i * d + j]) } }
    return (s, dCov, s.map { -$0 })
  }
}

import Foundation
import Tensor

/// half_flat(): the improper uniform prior on (0, ∞), Stan's default for a parameter
/// declared `<lower=0>` with no prior statement — log-density 0 on the support. As
/// `flat`, it has no draws and no normalizing constant: only kernels that need the
/// density up to a constant can use it. `half_flat(shape: [k])` is a vector of them.
struct HalfFlat: FamilyDefinition {
  var name: String { "half_flat" }
  var parameters: [FamilyParameter] { [] }
  var support: Support { .positive }
  var isImproper: Bool { true }

  func logDensity(_ p: Params, _ x: Double) -> Double { 0 }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(0), 0) }

  /// Never called: `Distribution.sample` refuses improper families first.
  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { .nan }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let halfFlat = Family(HalfFlat())
}

import Foundation
import Tensor

/// The improper uniform density on a support (log-density 0 there): Stan's implicit prior
/// for a parameter with no prior statement, declared as `flat` and `half_flat`. It has
/// no draws and no normalizing constant, so only kernels that need the density up to a
/// constant (NUTS, HMC, MALA, optimization) can use it; everything that draws refuses it
/// (`FamilyDefinition.isImproper`). A family without parameters, so its products take a
/// shape (`flat(shape: [k])`).
struct ImproperUniform: FamilyDefinition {
  let name: String
  let support: Support
  var parameters: [FamilyParameter] { [] }
  var isImproper: Bool { true }

  func logDensity(_ p: Params, _ x: Double) -> Double { 0 }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(0), 0) }

  /// Never called: `Distribution.sample` refuses improper families first.
  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { .nan }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

import Foundation
import Tensor

/// flat(): the improper uniform prior on the real line, Stan's default for a parameter
/// with no prior statement — log-density 0 everywhere. It has no draws and no
/// normalizing constant, so only kernels that need the density up to a constant (NUTS,
/// HMC, MALA, optimization) can use it; everything that draws refuses it
/// (`FamilyDefinition.isImproper`). `flat(shape: [k])` is a vector of them.
struct Flat: FamilyDefinition {
  var name: String { "flat" }
  var parameters: [FamilyParameter] { [] }
  var support: Support { .real }
  var isImproper: Bool { true }

  func logDensity(_ p: Params, _ x: Double) -> Double { 0 }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(0), 0) }

  /// Never called: `Distribution.sample` refuses improper families first.
  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { .nan }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let flat = Family(Flat())
}

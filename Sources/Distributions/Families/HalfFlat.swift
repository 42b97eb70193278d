/// half_flat(): the improper uniform prior on (0, ∞), Stan's default for a parameter
/// declared `<lower=0>` with no prior statement (`ImproperUniform`).
extension Family {
  public static let halfFlat = Family(ImproperUniform(name: "half_flat", support: .positive))
}

/// flat(): the improper uniform prior on the real line (`ImproperUniform`).
extension Family {
  public static let flat = Family(ImproperUniform(name: "flat", support: .real))
}

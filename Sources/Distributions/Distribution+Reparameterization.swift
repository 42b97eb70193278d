import Tensor

extension Distribution {
  /// The noise of a reparameterized draw, drawn exactly as `sample` draws: for a family,
  /// its noise values element by element (one tensor of the draw's shape per value a
  /// draw takes); for a dirichlet, its standard gamma draws. nil for other distributions.
  public func reparameterizationNoise(_ rng: inout RandomGenerator) throws -> [Tensor]? {
    switch self {
    case .scalar(let f, let p):
      guard let r = f.reparameterization else { return nil }
      return (0..<r.noiseCount).map { k in .scalar(r.noise(p, k, &rng)) }
    case .product(let f, let params, let shape):
      guard let r = f.reparameterization else { return nil }
      var noise = [[Double]](repeating: [Double](repeating: 0, count: shape.reduce(1, *)), count: r.noiseCount)
      try ElementParameters(params, shape: shape).forEach { p, i in
        for k in 0..<r.noiseCount { noise[k][i] = r.noise(p, k, &rng) }
      }
      return noise.map { Tensor(shape: shape, data: $0) }
    case .dirichlet(let alpha):
      return [Tensor(shape: [alpha.count], data: alpha.map { Gamma.standard($0, &rng) })]
    default:
      return nil
    }
  }

  /// A dirichlet draw on the tape: its standard gamma draws `g`, each moving with its
  /// concentration (`ImplicitGamma`), normalized.
  public static func dirichletDraw(_ concentration: Operand, standard g: Tensor) throws -> Operand {
    guard g.data.reduce(0, +) > 0 else {
      throw DistributionError("dirichlet: a reparameterized draw underflowed (concentrations near 0); use .reinforce")
    }
    let x = try ImplicitGamma.draw(concentration, standard: g)
    return try x / (try Differentiable.sum(x))
  }
}

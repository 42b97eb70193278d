import Runtime

/// MCMC draws: traces by chain, equally weighted. Statistics pool the chains; ESS is
/// the rank-normalized bulk ESS and R-hat the rank-normalized split R-hat.
public final class Samples: Posterior {
  public let chains: [[Trace]]
  /// Divergent transitions after warmup (NUTS).
  public let divergences: Int
  /// Per-draw sampler statistics (NUTS; nil for kernels run by `mcmc`).
  public let statistics: SamplerStatistics?

  public init(chains: [[Trace]], divergences: Int = 0, statistics: SamplerStatistics? = nil, observed: Set<Address> = []) {
    self.chains = chains
    self.divergences = divergences
    self.statistics = statistics
    let all = chains.flatMap { $0 }
    super.init(TraceStore(all), count: all.count, logWeights: Array(repeating: 0, count: all.count), logEvidence: .nan, observed: observed)
  }

  public override var typeName: String { "Samples" }

  public override func formatted() -> String {
    "samples(\(chains.count) chain\(chains.count == 1 ? "" : "s") of \(chains.first?.count ?? 0) draws)"
  }

  /// Draws by chain of each element of a choice (one element for a scalar choice),
  /// with the choice's shape.
  func elementDraws(_ address: Address) throws -> (shape: [Int], elements: [[[Double]]]) {
    let all = try valueTensor(address)
    let n = chains.first?.count ?? 0
    let width = all.count / max(all.shape.first ?? 1, 1)
    return (Array(all.shape.dropFirst()), (0..<width).map { e in
      (0..<chains.count).map { c in (0..<n).map { i in all.data[(c * n + i) * width + e] } }
    })
  }

  override func elementDiagnostics(_ address: Address) throws -> [Diagnostics.Element] {
    try elementDraws(address).elements.map(Diagnostics.Element.init)
  }

  /// Bulk ESS; for a tensor-valued choice, the smallest over its elements.
  public override func ess(_ address: Address) throws -> Double { worst(try elementDraws(address).elements.map(Diagnostics.bulkESS), min) }

  /// Tail ESS; for a tensor-valued choice, the smallest over its elements.
  public override func tailESS(_ address: Address) throws -> Double { worst(try elementDraws(address).elements.map(Diagnostics.tailESS), min) }

  /// MCSE of the mean; for a tensor-valued choice, the largest over its elements.
  public override func mcse(_ address: Address) throws -> Double { worst(try elementDraws(address).elements.map(Diagnostics.mcseMean), max) }

  /// Split R-hat; for a tensor-valued choice, the largest over its elements.
  public override func rhat(_ address: Address) throws -> Double { worst(try elementDraws(address).elements.map(Diagnostics.splitRhat), max) }

  /// The worst of the elements' values; NaN (an element that never moved) is worse
  /// than any number.
  func worst(_ values: [Double], _ pick: (Double, Double) -> Double) -> Double {
    values.contains(where: \.isNaN) ? .nan : values.dropFirst().reduce(values.first ?? .nan, pick)
  }
}

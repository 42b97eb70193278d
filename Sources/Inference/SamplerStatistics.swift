import Runtime
import Tensor

/// NUTS's statistics for every draw after warmup, by chain, under ArviZ's names
/// (`sample_stats`): what Stan writes beside each draw (accept_stat__, stepsize__,
/// treedepth__, n_leapfrog__, divergent__, energy__, lp__).
public struct SamplerStatistics {
  public struct Chain {
    /// The adapted step size (one for the whole chain after warmup).
    public var stepSize: Double
    public var acceptance: [Double] = []
    public var treeDepth: [Int] = []
    public var leapfrogs: [Int] = []
    public var diverging: [Bool] = []
    /// The Hamiltonian at the draw: −log density + kinetic energy.
    public var energy: [Double] = []
    /// The log density at the draw, on the unconstrained scale (with the log-Jacobian).
    public var logDensity: [Double] = []

    init(stepSize: Double) { self.stepSize = stepSize }

    /// The chain's E-BFMI (`Diagnostics.energyBFMI`).
    public var energyBFMI: Double { Diagnostics.energyBFMI(energy) }
  }

  public let chains: [Chain]
  public let maxTreeDepth: Int

  /// Draws whose trajectory stopped at the maximum tree depth (not at a U-turn).
  public var treeDepthHits: Int { chains.reduce(0) { $0 + $1.treeDepth.filter { $0 >= maxTreeDepth }.count } }

  /// Each statistic by name (sorted), its draws chain after chain.
  var columns: [(name: String, values: [Double])] {
    func column(_ f: (Chain) -> [Double]) -> [Double] { chains.flatMap(f) }
    return [
      ("acceptance_rate", column(\.acceptance)),
      ("diverging", column { $0.diverging.map { $0 ? 1 : 0 } }),
      ("energy", column(\.energy)),
      ("lp", column(\.logDensity)),
      ("n_steps", column { $0.leapfrogs.map(Double.init) }),
      ("step_size", column { Array(repeating: $0.stepSize, count: $0.energy.count) }),
      ("tree_depth", column { $0.treeDepth.map(Double.init) }),
    ]
  }

  /// `stats(samples)`: a record of [chains, draws] tensors.
  func record() -> Value {
    let shape = [chains.count, chains.first?.energy.count ?? 0]
    return .record(names: columns.map(\.name), values: columns.map { .tensor(Tensor(shape: shape, data: $0.values)) })
  }

  /// The type `stats` returns, for its declaration (fields in sorted order).
  static let recordType = "{acceptance_rate: Tensor, diverging: Tensor, energy: Tensor, lp: Tensor, n_steps: Tensor, step_size: Tensor, tree_depth: Tensor}"
}

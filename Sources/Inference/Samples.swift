import Runtime

/// MCMC draws: traces by chain, equally weighted. Statistics pool the chains; ESS is
/// the rank-normalized bulk ESS and R-hat the rank-normalized split R-hat.
public final class Samples: Posterior {
  public let chains: [[Trace]]

  public init(chains: [[Trace]]) {
    self.chains = chains
    let all = chains.flatMap { $0 }
    super.init(traces: all, logWeights: Array(repeating: 0, count: all.count), logEvidence: .nan)
  }

  public override var typeName: String { "Samples" }

  public override func formatted() -> String {
    "samples(\(chains.count) chain\(chains.count == 1 ? "" : "s") of \(chains.first?.count ?? 0) draws)"
  }

  func draws(_ address: Address) throws -> [[Double]] {
    let all = try values(address)
    let n = chains.first?.count ?? 0
    return (0..<chains.count).map { Array(all[($0 * n)..<(($0 + 1) * n)]) }
  }

  public override func ess(_ address: Address) throws -> Double { Diagnostics.bulkESS(try draws(address)) }

  public override func rhat(_ address: Address) throws -> Double { Diagnostics.splitRhat(try draws(address)) }
}

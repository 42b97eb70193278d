import Foundation
import Runtime

/// The warnings Stan gives after sampling, so that chains that did not reach or explore
/// the posterior are never reported silently: R̂ above 1.01, bulk or tail ESS below 100
/// per chain, draws that never changed, and for NUTS trajectories that hit the maximum
/// tree depth and an E-BFMI below 0.3. Each names the worst choices (elements of a
/// tensor-valued choice as `eta[3]`) and what to do.
enum ConvergenceWarnings {
  static let rhatLimit = 1.01
  static let essPerChain = 100.0
  static let bfmiLimit = 0.3
  /// Choices named in one warning; the rest are counted.
  static let named = 3

  static func check(_ s: Samples, method: String, _ c: CallContext) throws {
    let warn = { (message: String) in c.runtime.warn("\(method): \(message)") }
    if let stats = s.statistics {
      let hits = stats.treeDepthHits, total = stats.chains.reduce(0) { $0 + $1.energy.count }
      if hits > 0 {
        warn("\(hits) of \(total) transitions hit the maximum tree depth of \(stats.maxTreeDepth); the trajectories were cut short: raise max_tree_depth or reparameterize the model")
      }
      for (i, chain) in stats.chains.enumerated() where chain.energyBFMI < bfmiLimit {
        warn("E-BFMI of chain \(i + 1) is \(String(format: "%.3g", chain.energyBFMI)), below \(bfmiLimit): the chain explored the posterior's energy poorly; reparameterize the model")
      }
    }
    var stuck: [String] = []
    var rhats: [(String, Double)] = [], bulk: [(String, Double)] = [], tail: [(String, Double)] = []
    for a in s.scalarAddresses + s.tensorAddresses {
      let (shape, elements) = try s.elementDraws(a)
      for (e, draws) in elements.enumerated() {
        let name = Summary.elementName(a, e, shape)
        if Diagnostics.isConstant(draws) {
          if !isFixed(a, element: e, in: s) { stuck.append(name) }
          continue
        }
        let d = Diagnostics.Element(draws)
        if d.rhat > rhatLimit { rhats.append((name, d.rhat)) }
        if d.bulkESS < essPerChain * Double(s.chains.count) { bulk.append((name, d.bulkESS)) }
        if d.tailESS < essPerChain * Double(s.chains.count) { tail.append((name, d.tailESS)) }
      }
    }
    let draws = s.chains.first?.count ?? 0
    if !stuck.isEmpty, draws >= 4 {
      warn("\(list(stuck.map { "'\($0)'" })) never changed in any chain: the sampler did not move \(stuck.count == 1 ? "it" : "them")")
    }
    let floor = Int(essPerChain) * s.chains.count
    if !rhats.isEmpty {
      warn("R-hat above \(rhatLimit) for \(worst(rhats, largest: true)): the chains have not mixed, so the results are unreliable; run longer chains or reparameterize the model")
    }
    if !bulk.isEmpty {
      warn("bulk ESS below \(floor) (\(Int(essPerChain)) per chain) for \(worst(bulk, largest: false)): means and medians are unreliable; run longer chains")
    }
    if !tail.isEmpty {
      warn("tail ESS below \(floor) (\(Int(essPerChain)) per chain) for \(worst(tail, largest: false)): the 5% and 95% quantiles are unreliable; run longer chains")
    }
  }

  /// The worst few entries with their values, then how many more.
  static func worst(_ entries: [(String, Double)], largest: Bool) -> String {
    let sorted = entries.sorted { largest ? $0.1 > $1.1 : $0.1 < $1.1 }
    return list(sorted.map { "'\($0.0)' (\(String(format: largest ? "%.4g" : "%.1f", $0.1)))" })
  }

  static func list(_ names: [String]) -> String {
    let shown = names.prefix(named).joined(separator: ", ")
    return names.count > named ? "\(shown) and \(names.count - named) more" : shown
  }

  /// Whether an element is constant by construction, not because a chain was stuck: a
  /// dirac choice's (a transformed parameter that may not depend on anything moving),
  /// and the fixed entries of a correlation matrix's Cholesky factor (L₀₀ = 1, and 0
  /// above the diagonal).
  private static func isFixed(_ a: Address, element e: Int, in s: Samples) -> Bool {
    switch s.chains.first?.first?.distribution(at: a) {
    case .dirac?: return true
    case .lkjCholesky(let k, _)?: return e % k > e / k || e == 0
    default: return false
    }
  }
}

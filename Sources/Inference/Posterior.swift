import Distributions
import Foundation
import Runtime
import Tensor

/// Weighted traces approximating (or, from `enumerate`, equal to) a posterior, with the
/// log marginal likelihood estimate.
public class Posterior: RuntimeObject {
  /// The weighted traces; where the results are stored by column (batched SMC), they
  /// are built on first use.
  public var traces: [Trace] { store.traces }
  /// The number of traces.
  public let count: Int
  private let store: TraceStore
  public let logWeights: [Double]
  public let logEvidence: Double
  /// Normalized weights.
  public let weights: [Double]
  /// Addresses that were observed (left out of summaries and exports).
  public let observed: Set<Address>

  public convenience init(traces: [Trace], logWeights: [Double], logEvidence: Double, observed: Set<Address> = []) {
    self.init(TraceStore(traces), count: traces.count, logWeights: logWeights, logEvidence: logEvidence, observed: observed)
  }

  init(_ store: TraceStore, count: Int, logWeights: [Double], logEvidence: Double, observed: Set<Address>) {
    self.store = store
    self.count = count
    self.logWeights = logWeights
    self.logEvidence = logEvidence
    self.observed = observed
    let total = Special.logsumexp(logWeights)
    self.weights = logWeights.map { total.isFinite ? exp($0 - total) : 1 / Double(max(logWeights.count, 1)) }
  }

  public var typeName: String { "Posterior" }

  /// The effective sample size for an address: Kish's 1 / Σw² for weighted traces.
  public func ess(_ address: Address) throws -> Double { effectiveSampleSize }

  /// The tail ESS: only defined for MCMC samples.
  public func tailESS(_ address: Address) throws -> Double { .nan }

  /// The Monte Carlo standard error of the mean: only defined for MCMC samples.
  public func mcse(_ address: Address) throws -> Double { .nan }

  /// R-hat for an address: only defined for MCMC samples.
  public func rhat(_ address: Address) throws -> Double { .nan }

  public func formatted() -> String {
    "posterior(\(count) traces, log_evidence: \(ValueFormatter.real(logEvidence)))"
  }

  /// The value of a scalar choice in each trace.
  public func values(_ address: Address) throws -> [Double] {
    try choices(address).map { v in
      guard let x = v.outcome?.number else { throw RuntimeError("the choice at '\(address)' is a \(v.typeName), not a number") }
      return x
    }
  }

  /// Every trace's value at an address (read from the columns where they are stored so).
  func choices(_ address: Address) throws -> [Value] {
    try choicesIfPresent(address).map { v in
      guard let v else { throw RuntimeError("a trace has no choice at '\(address)'") }
      return v
    }
  }

  /// Every trace's value at an address, nil where a trace has none.
  func choicesIfPresent(_ address: Address) -> [Value?] {
    store.column.map { $0(address) } ?? traces.map { $0.choices[address] }
  }

  /// Every trace's value at an address as one tensor: a vector for scalar choices, one
  /// row per trace for tensor-valued ones.
  public func valueTensor(_ address: Address) throws -> Tensor {
    let all = try choices(address)
    if case .tensor(let first)? = all.first {
      let rows = try all.map { v -> Tensor in
        guard case .tensor(let r) = v, r.shape == first.shape else { throw RuntimeError("the choices at '\(address)' differ in shape") }
        return r
      }
      return Tensor(shape: [rows.count] + first.shape, data: rows.flatMap(\.data))
    }
    let v = try values(address)
    return Tensor(shape: [v.count], data: v)
  }

  public func mean(_ address: Address) throws -> Double { mean(of: try values(address)) }

  public func sd(_ address: Address) throws -> Double { sd(of: try values(address)) }

  /// The weighted q-quantile: the smallest value whose cumulative weight reaches q.
  public func quantile(_ address: Address, _ q: Double) throws -> Double { quantile(of: try values(address), q) }

  /// The weighted mean of one value per trace.
  func mean(of values: [Double]) -> Double { zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } }

  func sd(of values: [Double]) -> Double {
    let m = mean(of: values)
    return zip(values, weights).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }.squareRoot()
  }

  func quantile(of values: [Double], _ q: Double) -> Double {
    let sorted = zip(values, weights).sorted { $0.0 < $1.0 }
    var cumulative = 0.0
    for (v, w) in sorted {
      cumulative += w
      if cumulative >= q - 1e-12 { return v }
    }
    return sorted.last?.0 ?? .nan
  }

  /// The diagnostics of each element of a choice (one for a scalar choice). Weighted
  /// traces have Kish's ESS only (an exact posterior's weights are no Monte Carlo error).
  func elementDiagnostics(_ address: Address) throws -> [Diagnostics.Element] {
    let width = try valueTensor(address).count / max(count, 1)
    return Array(repeating: Diagnostics.Element(bulkESS: effectiveSampleSize, tailESS: .nan, mcse: .nan, rhat: .nan), count: width)
  }

  /// Kish's effective sample size of the weights, 1 / Σ w².
  public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }

  /// Posterior probability that the choice at `address` equals `value`.
  public func probability(_ address: Address, _ value: Value) throws -> Double {
    zip(choicesIfPresent(address), weights).reduce(0) { total, pair in
      guard let v = pair.0 else { return total }
      return total + (v.outcome == value.outcome ? pair.1 : 0)
    }
  }

  /// One trace drawn with probability equal to its weight.
  public func draw(_ rng: inout RandomGenerator) -> Trace {
    var u = rng.uniform()
    for (t, w) in zip(traces, weights) {
      u -= w
      if u <= 0 { return t }
    }
    return traces[traces.count - 1]
  }

  /// Addresses of unobserved tensor-valued choices present in every trace, in first-seen order.
  public var tensorAddresses: [Address] {
    guard let first = traces.first else { return [] }
    return first.choices.addresses.filter { a in
      guard !observed.contains(a), case .tensor(let t)? = first.choices[a] else { return false }
      return traces.allSatisfy { if case .tensor(let u)? = $0.choices[a] { return u.shape == t.shape } else { return false } }
    }
  }

  /// Addresses of unobserved scalar choices present in every trace, in first-seen order.
  public var scalarAddresses: [Address] {
    guard let first = traces.first else { return [] }
    return first.choices.addresses.filter { a in
      !observed.contains(a) && traces.allSatisfy { $0.choices[a]?.outcome?.number != nil }
    }
  }
}

/// Where a posterior's traces come from: built already, or built on first use from
/// columns that can also answer for one address at a time.
final class TraceStore {
  private var built: [Trace]?
  private let build: () -> [Trace]
  /// Every trace's value at an address without building traces (nil: no such reader).
  let column: ((Address) -> [Value?])?

  init(_ traces: [Trace]) {
    built = traces
    build = { traces }
    column = nil
  }

  init(build: @escaping () -> [Trace], column: @escaping (Address) -> [Value?]) {
    self.build = build
    self.column = column
  }

  var traces: [Trace] {
    if let built { return built }
    let traces = build()
    built = traces
    return traces
  }
}

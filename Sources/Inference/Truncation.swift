import Distributions
import Runtime

/// The prefix of a program that an SMC particle has run: everything up to and
/// including its `stops`-th weighting point (an `observe`, a `factor`, or a choice at
/// one of the `observed` addresses). A partial trace is scored under this prefix, so
/// MCMC kernels applied to it leave the particle's intermediate target invariant.
public struct Truncation {
  public let stops: Int
  public let observed: Set<Address>

  public init(stops: Int, observed: Set<Address>) {
    self.stops = stops
    self.observed = observed
  }
}

/// Runs another handler over a truncated program: it counts weighting points and
/// suspends the machine at the first effect after the last one, which ends the run.
/// Deterministic code between the last stop and that effect runs, as it does in the
/// particle itself.
struct TruncatedHandler<Inner: Handler>: Handler {
  var inner: Inner
  let truncation: Truncation
  private(set) var stops = 0

  init(_ inner: Inner, _ truncation: Truncation) {
    self.inner = inner
    self.truncation = truncation
  }

  var isExhausted: Bool { stops >= truncation.stops }

  mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    if isExhausted { return .suspend }
    let action = try inner.choice(at: address, distribution: distribution, context)
    if truncation.observed.contains(address) { stops += 1 }
    return action
  }

  mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if isExhausted { return false }
    stops += 1
    return try inner.observe(distribution: distribution, value, at: address, context)
  }

  mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if isExhausted { return false }
    stops += 1
    return try inner.factor(weight: weight, at: address, context)
  }

  mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    try choice(at: address, distribution: .dist(dist), context)
  }

  mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try observe(distribution: .dist(dist), value, at: address, context)
  }

  mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try factor(weight: .real(weight), at: address, context)
  }
}

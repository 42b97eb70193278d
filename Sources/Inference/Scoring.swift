import Distributions
import Runtime

/// How every handler scores what a run meets — a choice's value, an observation, a
/// factor — and the errors they share: a value the distribution cannot score, a NaN
/// log-density (a bug in the model, not a rejection), an address used twice. The GFI,
/// SMC's stepped runs, enumeration and the gradient kernels' log-density all score here.
enum Scoring {
  /// The log-density of a choice's value, and the same on the tape where the
  /// distribution or the value is differentiated (computed once: its value is the plain one).
  static func choice(_ distribution: Value, _ value: Value, at address: Address) throws -> (lp: Double, term: Value?) {
    let scored = try logDensity(distribution, value) {
      "the value at '\(address)' has type \(value.typeName), which \($0) cannot score"
    }
    if scored.lp.isNaN { throw nan("the log-density at '\(address)' is NaN") }
    return scored
  }

  /// A choice whose distribution and value are plain (SMC's and enumeration's fast path).
  static func choice(_ dist: Distribution, _ value: Value, at address: Address) throws -> Double {
    guard let x = value.outcome else {
      throw RuntimeError("the value at '\(address)' has type \(value.typeName), which \(dist.name) cannot score")
    }
    let lp = try dist.logpdf(x)
    if lp.isNaN { throw nan("the log-density at '\(address)' is NaN") }
    return lp
  }

  /// An observation; `address` is the traced call it is in (the root at top level).
  static func observation(_ distribution: Value, _ value: Value, within address: Address) throws -> (lp: Double, term: Value?) {
    let scored = try logDensity(distribution, value) { "\($0) cannot score a value of type \(value.typeName)" }
    if scored.lp.isNaN { throw nan("the log-density of the observation\(within(address)) is NaN") }
    return scored
  }

  /// A factor's log-weight, and the same on the tape where it is differentiated.
  static func factor(_ weight: Value, within address: Address) throws -> (lp: Double, term: Value?) {
    let w = try Differentiation.primal(weight)
    if w.isNaN { throw nan("factor(NaN)\(within(address))") }
    return (w, Differentiation.isTracked(weight) ? weight : nil)
  }

  /// The error for an address a run used twice.
  static func duplicate(_ address: Address) -> RuntimeError {
    RuntimeError("the address '\(address)' is used twice in one execution; give each choice its own address, e.g. @ (\"\(address)\", i)")
  }

  private static func logDensity(_ distribution: Value, _ value: Value, _ unscorable: (String) -> String) throws -> (lp: Double, term: Value?) {
    let dist = try Differentiation.distribution(distribution)
    guard let x = value.outcome else { throw RuntimeError(unscorable(dist.name)) }
    guard Differentiation.isTracked(distribution) || Differentiation.isTracked(value) else { return (try dist.logpdf(x), nil) }
    let term = try Differentiation.logpdf(distribution, value)
    return (try Differentiation.primal(term), term)
  }

  private static func nan(_ message: String) -> RuntimeError {
    var error = RuntimeError(message)
    error.isOutsideDomain = true
    return error
  }

  private static func within(_ address: Address) -> String {
    address == .root ? "" : " at '\(address)'"
  }
}

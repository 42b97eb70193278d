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

  /// A value given for a choice (a constraint, a replayed or assessed value) as the
  /// choice's type: an Int for a continuous scalar becomes a Real, as literals do; any
  /// other mismatch (`true` for a normal, `1.0` for a bernoulli, `2.5` for a poisson) is
  /// an error naming the address, never scored as if it fit.
  static func admit(_ dist: Distribution, _ value: Value, at address: Address) throws -> Value {
    let expected: String
    switch (dist, value) {
    case (.scalar(let f, _), .int(let i)) where f.kind == .real: return .real(Double(i))
    case (.scalar(let f, _), .real) where f.kind == .real, (.scalar(let f, _), .tracked) where f.kind == .real: return value
    case (.scalar(let f, _), .int) where f.kind == .int: return value
    case (.scalar(let f, _), .bool) where f.kind == .bool: return value
    case (.categorical, .int): return value
    case (.scalar(let f, _), _):
      expected = f.kind == .real ? "Real" : f.kind == .int ? "Int" : "Bool"
    case (.categorical, _):
      expected = "Int"
    default:
      return value
    }
    throw RuntimeError("the value given at '\(address)' is \(ValueFormatter.format(value)) (\(value.typeName)), but \(dist.name) there draws \(expected) values")
  }

  /// A proposal's value for a choice (importance and SMC proposals): as `admit`, but an
  /// Int for a continuous choice is refused — the proposal's probability mass would be
  /// divided into the model's density as if it were one.
  static func admitProposed(_ dist: Distribution, _ value: Value, at address: Address) throws -> Value {
    if case .scalar(let f, _) = dist, f.kind == .real, case .int = value {
      throw RuntimeError("the proposal drew an Int at '\(address)', a continuous choice of the model (\(dist.name)): a proposal must draw it from a continuous distribution")
    }
    return try admit(dist, value, at: address)
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

  static func nan(_ message: String) -> RuntimeError {
    var error = RuntimeError(message)
    error.isOutsideDomain = true
    return error
  }

  private static func within(_ address: Address) -> String {
    address == .root ? "" : " at '\(address)'"
  }
}

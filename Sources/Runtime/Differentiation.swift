import Distributions
import Tensor

/// What inference layers need from differentiation: log-densities and sums recorded
/// on a tape (for gradient-based kernels), and lifting to and from operands.
public enum Differentiation {
  /// `logpdf(d, x)`, differentiable in the distribution's parameters and the value.
  public static func logpdf(_ distribution: Value, _ x: Value) throws -> Value {
    if Autodiff.isTracked(distribution) || Autodiff.isTracked(x) { return try Autodiff.logpdf(distribution, x) }
    guard let outcome = x.outcome else { throw RuntimeError("cannot score a value of type \(x.typeName)") }
    return .real(try Autodiff.primal(distribution).logpdf(outcome))
  }

  public static func add(_ a: Value, _ b: Value) throws -> Value { try Operations.binary(.add, a, b) }

  public static func operand(_ v: Value) -> Operand? { Autodiff.operand(v) }

  public static func value(_ o: Operand) -> Value { Autodiff.value(o) }
}

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
  public static func sub(_ a: Value, _ b: Value) throws -> Value { try Operations.binary(.sub, a, b) }
  public static func mul(_ a: Value, _ b: Value) throws -> Value { try Operations.binary(.mul, a, b) }
  public static func div(_ a: Value, _ b: Value) throws -> Value { try Operations.binary(.div, a, b) }
  public static func unary(_ f: UnaryFunction, _ a: Value) throws -> Value { try Autodiff.unaryMath(f, a) }
  public static func exp(_ a: Value) throws -> Value { try Autodiff.unaryMath(.exp, a) }

  /// The error for a differentiated value met by a run whose results carry no
  /// derivatives (which would otherwise return a gradient of silently zero).
  public static func notCarried(_ what: String) -> RuntimeError {
    RuntimeError("\(what) depends on a value being differentiated, but this inference does not carry derivatives, so its gradient would be silently zero; differentiate through simulate, generate, assess, importance or smc, or apply stop_gradient to the arguments to run it on values")
  }

  /// Whether a value is being differentiated by a `grad` running on `context`: a flow
  /// (`transformed`) counts as differentiated whenever one runs, since its functions
  /// may close over differentiated values; outside `grad` nothing is.
  public static func isDifferentiated(_ v: Value, during context: RuntimeContext) -> Bool {
    context.differentiating && Autodiff.isTracked(v)
  }

  /// Whether a value (or a distribution's parameters) is being differentiated.
  public static func isTracked(_ v: Value) -> Bool { Autodiff.isTracked(v) }

  /// The distribution a value holds, ignoring derivatives and strategies.
  public static func distribution(_ v: Value) throws -> Distribution { try Autodiff.primal(v) }

  /// The value with derivatives dropped (records, tuples and lists included).
  public static func stopGradient(_ v: Value) -> Value { RuntimeBuiltins.primalValue(v) }

  /// A Real's value, ignoring derivatives.
  public static func primal(_ v: Value) throws -> Double { try RuntimeBuiltins.primalValue(v).asReal() }

  /// `a - stop_gradient(a)`: zero in value, with a's gradient (DiCE's magic box is its exp).
  public static func centered(_ a: Value) throws -> Value {
    guard case .tracked(let t) = a else { return .real(0) }
    return try sub(.tracked(t), value(.constant(t.value)))
  }

  /// log Σ exp(xᵢ) of Reals, on the tape where any is differentiated.
  public static func logsumexp(_ xs: [Value]) throws -> Value {
    try Autodiff.wrap { Autodiff.value(try Differentiable.logsumexp(try Differentiable.stack(try Autodiff.operands(xs)))) }
  }

  /// The normalized weights exp(xᵢ − log Σ exp(x)) of log-weights, as a vector on the tape.
  public static func softmax(_ xs: [Value]) throws -> Value {
    try Autodiff.wrap { Autodiff.value(try Differentiable.softmax(try Differentiable.stack(try Autodiff.operands(xs)), log: false)) }
  }

  /// Σ wᵢ·xᵢ of a weight vector and Reals, on the tape where any is differentiated.
  public static func weightedSum(_ weights: Value, _ xs: [Value]) throws -> Value {
    try Autodiff.wrap {
      guard let w = Autodiff.operand(weights) else { throw RuntimeError("expected a weight vector, found \(weights.typeName)") }
      return Autodiff.value(try Differentiable.dot(w, try Differentiable.stack(try Autodiff.operands(xs))))
    }
  }

  public static func operand(_ v: Value) -> Operand? { Autodiff.operand(v) }

  public static func value(_ o: Operand) -> Value { Autodiff.value(o) }
}

import Distributions
import Tensor

/// A runtime value. Values are immutable: lists, tuples and records are Swift arrays
/// (copy-on-write), so copying an execution copies its values cheaply.
public enum Value {
  case int(Int)
  case real(Double)
  case bool(Bool)
  case string(String)
  case unit
  case list([Value])
  case tuple([Value])
  /// Fields sorted by name (records are structural).
  case record(names: [String], values: [Value])
  case tensor(Tensor)
  case closure(Closure)
  case builtin(BuiltinFunction)
  case dist(Distribution)
  /// A distribution whose parameters are being differentiated.
  case trackedDist(TrackedDistribution)
  /// A Real (rank 0) or Tensor being differentiated (see `grad`).
  case tracked(Tracked)
  case address(Address)
  /// Runtime objects defined by other layers: traces, choice maps, selections, …
  case object(RuntimeObject)
}

/// A distribution with differentiated parameters or a gradient strategy: the primal
/// distribution, its parameters as operands (constants where not differentiated) and
/// the strategy written on it (`d.reparam`), if any. A class, so that `Value` stays small.
public final class TrackedDistribution {
  public let primal: Distribution
  public let parameters: TrackedParameters
  public let strategy: GradientStrategy?
  public init(_ primal: Distribution, _ parameters: TrackedParameters, strategy: GradientStrategy? = nil) {
    self.primal = primal
    self.parameters = parameters
    self.strategy = strategy
  }

  /// Whether any parameter is being differentiated (a strategy alone does not count).
  public var isDifferentiated: Bool {
    switch parameters {
    case .family(let ops): return ops.contains { !$0.isConstant }
    case .categoricalProbs(let o), .categoricalLogits(let o), .dirichlet(let o): return !o.isConstant
    case .mvnormal(let m, let c): return !m.isConstant || !c.isConstant
    case .transformed: return true  // its functions may close over differentiated values
    case .dirac(let v): return Autodiff.operand(v).map { !$0.isConstant } ?? false
    case .mixture(let w, let components):
      return !w.isConstant || components.contains { if case .trackedDist(let t) = $0 { return t.isDifferentiated } else { return false } }
    }
  }
}

/// The differentiated parameters of a distribution, by how it was built.
public enum TrackedParameters {
  case family([Operand])
  case categoricalProbs(Operand)
  case categoricalLogits(Operand)
  case mvnormal(mean: Operand, cov: Operand)
  case dirichlet(Operand)
  /// `transformed(base, bijector)`: the base as a value and the bijector's functions.
  case transformed(base: Value, ValueTransform)
  /// `mixture(weights, components)`: the weights (unnormalized) and each component as a
  /// value, differentiated or not.
  case mixture(weights: Operand, components: [Value])
  /// `dirac(x)` of a differentiated x: the point, which a draw returns as it is.
  case dirac(Value)
}

/// A bijector's functions on values (PPL functions, run on the interpreter that made
/// them), so that densities and draws of a flow can be differentiated.
public final class ValueTransform {
  public let forward: (Value) throws -> Value
  public let inverse: (Value) throws -> Value
  /// Per-row log |det ∂forward/∂z|; callers sum it.
  public let logDeterminant: (Value) throws -> Value
  /// z = inverse(y) with the per-row log-determinant at z, in one pass where the
  /// bijector offers it (a coupling computes its conditioner once).
  public let inverseWithLogDeterminant: ((Value) throws -> (Value, Value))?

  public init(forward: @escaping (Value) throws -> Value, inverse: @escaping (Value) throws -> Value,
              logDeterminant: @escaping (Value) throws -> Value,
              inverseWithLogDeterminant: ((Value) throws -> (Value, Value))? = nil) {
    self.forward = forward
    self.inverse = inverse
    self.logDeterminant = logDeterminant
    self.inverseWithLogDeterminant = inverseWithLogDeterminant
  }

  /// inverse(y) and the per-row log-determinant there.
  public func inverseAndLogDeterminant(_ y: Value) throws -> (Value, Value) {
    if let inverseWithLogDeterminant { return try inverseWithLogDeterminant(y) }
    let z = try inverse(y)
    return (z, try logDeterminant(z))
  }
}

/// A value defined outside the runtime core (traces, choice maps, posteriors).
public protocol RuntimeObject: AnyObject {
  /// The type name shown in messages (`Trace`, `ChoiceMap`).
  var typeName: String { get }
  /// The printed form (`str(x)`).
  func formatted() -> String
}

/// A compiled function together with its captured values. Generative functions are
/// closures whose code is marked `isGen`.
public final class Closure {
  public let code: Code
  public private(set) var captures: [Value]
  public init(code: Code, captures: [Value]) {
    self.code = code
    self.captures = captures
  }

  /// A closure capturing a closure capturing a closure … is freed in a loop, not by
  /// native recursion per link (a chain of 40,000 overflowed the stack): captured
  /// closures that nothing else holds give up their captures to this loop first.
  deinit {
    guard captures.contains(where: { if case .closure = $0 { return true } else { return false } }) else { return }
    var pending = captures
    captures = []
    while !pending.isEmpty {
      var value = pending.removeLast()
      guard case .closure(var closure) = value else { continue }
      value = .unit  // the closure is now held by `closure` alone, if by nothing else
      if isKnownUniquelyReferenced(&closure) {
        pending.append(contentsOf: closure.captures)
        closure.captures = []
      }
    }
  }
}

/// A builtin or host-defined function used as a value.
public final class BuiltinFunction {
  public let name: String
  public let body: BuiltinBody
  /// The builtin over a batch's columns at once (`BatchExecution`), where it has such a
  /// form; it returns nil for arguments it does not take in bulk.
  public let batched: BatchedBody?
  public init(name: String, batched: BatchedBody? = nil, body: @escaping BuiltinBody) {
    self.name = name
    self.batched = batched
    self.body = body
  }
}

/// A builtin's bulk form: the arguments as batch registers, for `count` members.
public typealias BatchedBody = (_ args: [BatchValue], _ count: Int, _ context: CallContext) throws -> BatchValue?

/// The implementation of a builtin: arguments in parameter order.
public typealias BuiltinBody = (_ args: [Value], _ context: CallContext) throws -> Value

extension Value {
  public init(_ outcome: Outcome) {
    switch outcome {
    case .real(let r): self = .real(r)
    case .int(let i): self = .int(i)
    case .bool(let b): self = .bool(b)
    case .tensor(let t): self = .tensor(t)
    }
  }

  /// The value as a distribution outcome, or nil if no distribution produces it.
  public var outcome: Outcome? {
    switch self {
    case .real(let r): return .real(r)
    case .int(let i): return .int(i)
    case .bool(let b): return .bool(b)
    case .tensor(let t): return .tensor(t)
    case .tracked(let t): return t.value.rank == 0 ? .real(t.value.data[0]) : .tensor(t.value)
    default: return nil
    }
  }

  /// The name of the value's runtime type, for messages.
  public var typeName: String {
    switch self {
    case .int: return "Int"
    case .real: return "Real"
    case .bool: return "Bool"
    case .string: return "String"
    case .unit: return "Unit"
    case .list: return "List"
    case .tuple: return "tuple"
    case .record: return "record"
    case .tensor: return "Tensor"
    case .closure(let c): return c.code.isGen ? "Gen" : "function"
    case .builtin: return "function"
    case .dist, .trackedDist: return "Dist"
    case .tracked(let t): return t.value.rank == 0 ? "Real" : "Tensor"
    case .address: return "Addr"
    case .object(let o): return o.typeName
    }
  }
}

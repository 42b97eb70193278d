import Distributions

/// What the handler does with a random choice.
public enum ChoiceAction {
  /// Continue with this value.
  case value(Value)
  /// Stop the machine here; `Execution.resume(with:)` supplies the value later.
  case suspend
}

/// The interpretation of a program's effects: the machine calls out to a handler at
/// every random choice, `observe` and `factor`. `simulate`, `generate`, `assess`,
/// SMC and gradient estimation are handlers; the machine does not know which runs.
public protocol Handler {
  mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction
  /// Returns false to suspend after scoring (SMC's resampling points).
  mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool
  mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool

  /// The full forms the machine calls: the distribution, observed value and weight as
  /// values, which may be differentiated (gradient-based kernels score them on a tape).
  /// They default to the forms above, which see values only: a handler that does not
  /// carry derivatives refuses a differentiated one rather than drop its gradient.
  mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction
  mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool
  mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool

  /// A traced call `~ g(args) @ a` of a gen defined by its interface (`marginal`,
  /// `normalize`), which has no code to run: its return value, the callee's choices
  /// recorded under `address`. The default refuses it.
  mutating func tracedCall(at address: Address, interfaceGen gen: Closure, arguments: [Value], _ c: CallContext) throws -> Value
}

extension Handler {
  public mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    if Differentiation.isDifferentiated(distribution, during: context) { throw Differentiation.notCarried("the distribution of the choice '\(address)'") }
    return try choice(at: address, from: try Autodiff.primal(distribution), context)
  }

  public mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if Differentiation.isDifferentiated(distribution, during: context) || Differentiation.isDifferentiated(value, during: context) {
      throw Differentiation.notCarried("an observation")
    }
    return try observe(try Autodiff.primal(distribution), value, at: address, context)
  }

  public mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if Differentiation.isDifferentiated(weight, during: context) { throw Differentiation.notCarried("a factor") }
    return try factor(try weight.asReal(), at: address, context)
  }

  public mutating func tracedCall(at address: Address, interfaceGen gen: Closure, arguments: [Value], _ c: CallContext) throws -> Value {
    throw c.fail(RuntimeError.interfaceGenRefused(gen))
  }

}

/// The handler for code that cannot make random choices (plain functions).
public struct NoRandomness: Handler {
  public init() {}
  public func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    throw RuntimeError("random choice '\(address)' outside a generative function")
  }
  public func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    throw RuntimeError("observe outside a generative function")
  }
  public func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    throw RuntimeError("factor outside a generative function")
  }
}

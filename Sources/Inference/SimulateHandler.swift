import Distributions
import Runtime

/// `simulate`: samples every choice from its distribution and accumulates the log
/// joint density of the choices, observations and factors.
public struct SimulateHandler: Handler {
  public private(set) var choices = ChoiceMap()
  public private(set) var score = 0.0

  public init() {}

  public mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    let x = dist.sample(&context.rng)
    let value = Value(x)
    guard choices.insert(address, value) else {
      throw RuntimeError("the address '\(address)' is used twice in one execution; give each choice its own address, e.g. @ (\"\(address)\", i)")
    }
    score += try dist.logpdf(x)
    return .value(value)
  }

  public mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    guard let x = value.outcome else { throw RuntimeError("\(dist.name) cannot score a value of type \(value.typeName)") }
    score += try dist.logpdf(x)
    return true
  }

  public mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    score += weight
    return true
  }
}

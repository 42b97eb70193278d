import Distributions
import Runtime

/// The record of one execution of a generative function: its arguments, return
/// value, random choices and log joint density (`score`).
public final class Trace: RuntimeObject {
  public let gen: Closure
  public let arguments: [Value]
  public let retval: Value
  public let score: Double
  public let choices: ChoiceMap
  /// The log-density of each choice, by address (for update and regenerate weights).
  public let choiceScores: [Address: Double]
  /// The distribution each choice was drawn from (Gibbs and slice kernels need them).
  public let choiceDistributions: [Address: Distribution]

  public init(gen: Closure, arguments: [Value], retval: Value, score: Double, choices: ChoiceMap,
              choiceScores: [Address: Double], choiceDistributions: [Address: Distribution] = [:]) {
    self.gen = gen
    self.arguments = arguments
    self.retval = retval
    self.score = score
    self.choices = choices
    self.choiceScores = choiceScores
    self.choiceDistributions = choiceDistributions
  }

  public var typeName: String { "Trace" }

  public func formatted() -> String {
    "trace(\(gen.code.name), retval: \(ValueFormatter.format(retval, topLevel: false)), score: \(ValueFormatter.real(score)), \(choices.formatted()))"
  }
}

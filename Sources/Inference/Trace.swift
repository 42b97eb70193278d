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
  /// Set for a partial trace: the program's prefix up to a number of stops (SMC
  /// rejuvenation moves particles under the target of the prefix they have run).
  public let truncation: Truncation?
  /// True when the run stopped at the truncation before returning: there is no `retval`.
  public let isPartial: Bool

  public init(gen: Closure, arguments: [Value], retval: Value, score: Double, choices: ChoiceMap,
              choiceScores: [Address: Double], choiceDistributions: [Address: Distribution] = [:],
              truncation: Truncation? = nil, isPartial: Bool = false) {
    self.gen = gen
    self.arguments = arguments
    self.retval = retval
    self.score = score
    self.choices = choices
    self.choiceScores = choiceScores
    self.choiceDistributions = choiceDistributions
    self.truncation = truncation
    self.isPartial = isPartial
  }

  public var typeName: String { "Trace" }

  public func formatted() -> String {
    if isPartial { return "trace(\(gen.code.name), partial after \(truncation?.stops ?? 0) stops, score: \(ValueFormatter.real(score)), \(choices.formatted()))" }
    return "trace(\(gen.code.name), retval: \(ValueFormatter.format(retval, topLevel: false)), score: \(ValueFormatter.real(score)), \(choices.formatted()))"
  }
}

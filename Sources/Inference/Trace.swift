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
  /// The log-density of each choice, in the order of `choices` (for update and
  /// regenerate weights).
  public let choiceScores: [Double]
  /// The distribution each choice was drawn from, in the order of `choices` (Gibbs and
  /// slice kernels need them); empty where the run did not keep them.
  public let choiceDistributions: [Distribution]
  /// Set for a partial trace: the program's prefix up to a number of stops (SMC
  /// rejuvenation moves particles under the target of the prefix they have run).
  public let truncation: Truncation?
  /// True when the run stopped at the truncation before returning: there is no `retval`.
  public let isPartial: Bool
  /// The score on the differentiation tape, where the run differentiated it (a guide
  /// simulated with parameters under `grad`); `tr.score` reads it.
  public let differentiableScore: Value?

  public init(gen: Closure, arguments: [Value], retval: Value, score: Double, choices: ChoiceMap,
              choiceScores: [Double], choiceDistributions: [Distribution] = [],
              truncation: Truncation? = nil, isPartial: Bool = false, differentiableScore: Value? = nil) {
    self.gen = gen
    self.arguments = arguments
    self.retval = retval
    self.score = score
    self.choices = choices
    self.choiceScores = choiceScores
    self.choiceDistributions = choiceDistributions
    self.truncation = truncation
    self.isPartial = isPartial
    self.differentiableScore = differentiableScore
  }

  public var typeName: String { "Trace" }

  /// The score as a value: on the tape where the run differentiated it.
  public var scoreValue: Value { differentiableScore ?? .real(score) }

  /// The same trace with derivatives dropped from its arguments, return value, choices
  /// and score (`stop_gradient` of a differentiated posterior).
  func withoutDerivatives() -> Trace {
    Trace(gen: gen, arguments: arguments.map(Differentiation.stopGradient), retval: Differentiation.stopGradient(retval),
          score: score, choices: choices.mapValues(Differentiation.stopGradient), choiceScores: choiceScores,
          choiceDistributions: choiceDistributions, truncation: truncation, isPartial: isPartial)
  }

  /// The log-density of the choice at `address`.
  public func score(at address: Address) -> Double? {
    choices.position(of: address).map { choiceScores[$0] }
  }

  /// The distribution of the choice at `address`.
  public func distribution(at address: Address) -> Distribution? {
    guard let i = choices.position(of: address), i < choiceDistributions.count else { return nil }
    return choiceDistributions[i]
  }

  public func formatted() -> String {
    if isPartial { return "trace(\(gen.code.name), partial after \(truncation?.stops ?? 0) stops, score: \(ValueFormatter.real(score)), \(choices.formatted()))" }
    return "trace(\(gen.code.name), retval: \(ValueFormatter.format(retval, topLevel: false)), score: \(ValueFormatter.real(score)), \(choices.formatted()))"
  }
}

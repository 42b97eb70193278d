import Distributions
import Foundation
import Runtime
import Tensor

/// A gen defined by its generative function interface rather than a body (`marginal`,
/// `normalize`): the GFI builtins call it directly.
protocol InterfaceGen: RuntimeObject {
  func execute(_ gen: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> InferenceBuiltins.GFIResult
}

extension InterfaceGen {
  var typeName: String { "Gen" }


  /// The gen value: code that only reports how to use it, and this implementation.
  func closure(name: String, parameterCount: Int) -> Closure {
    let message = "\(name) is a gen defined by its interface: use it with the GFI (simulate, assess, generate, propose), as a model for importance, smc or nuts, in objectives, or as a traced call (~) under simulate, generate and assess; it cannot be called as a function"
    return Closure(code: .interfaceOnlyGen(name: name, parameterCount: parameterCount, message: message), captures: [.object(self)])
  }

  /// log (1/n) Σ exp(w_i), on the tape where the weights are.
  static func logMeanExp(_ weights: [Value]) throws -> Value {
    let operands = try weights.map { w -> Operand in
      guard let o = Differentiation.operand(w) else { throw RuntimeError("internal: a log weight is not a number") }
      return o
    }
    let total = try Differentiable.logsumexp(try Differentiable.stack(operands))
    return try Differentiation.sub(Differentiation.value(total), .real(log(Double(weights.count))))
  }

  /// A trace of the interface gen: the given choices, scored by the estimate `score`,
  /// with each choice's distribution as `run` (a run of the gen's model) met it.
  /// Per-choice scores (read only by update and regenerate, which these gens refuse)
  /// share the score evenly.
  static func trace(_ gen: Closure, _ args: [Value], retval: Value, choices: ChoiceMap, score: Value, distributions run: Trace) throws -> Trace {
    let plain = try Differentiation.primal(score)
    let distributions = try choices.addresses.map { a -> Distribution in
      guard let d = run.distribution(at: a) else { throw RuntimeError("internal: the model of \(gen.code.name) made no choice at '\(a)'") }
      return d
    }
    return Trace(gen: gen, arguments: args, retval: retval, score: plain, choices: choices,
                 choiceScores: Array(repeating: plain / Double(max(choices.count, 1)), count: choices.count),
                 choiceDistributions: distributions, differentiableScore: Differentiation.isTracked(score) ? score : nil)
  }

  static func unsupported(_ name: String, _ c: CallContext) -> RuntimeError {
    c.fail("\(name) supports simulate, assess, generate and propose, not update or regenerate")
  }
}

extension InferenceBuiltins {
  /// Warns that MCMC on `g` is approximate when `g` is defined by its interface: its
  /// density is an importance estimate, drawn afresh at each evaluation, so a chain
  /// targets the exact posterior only when the estimates have no variance (a proposal
  /// equal to the exact conditional).
  static func warnOfEstimatedDensity(_ g: Closure, _ method: String, _ c: CallContext) {
    guard InferenceBuiltins.interface(g) != nil else { return }
    c.runtime.warn("\(method): the density of \(g.code.name) is an importance estimate, drawn afresh at every evaluation; the chain is exact only when its proposal is the exact conditional, and approximate otherwise")
  }
}

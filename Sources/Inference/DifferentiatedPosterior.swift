import Distributions
import Runtime

/// A posterior from importance sampling or SMC run on differentiated values
/// (`DifferentiableInference`): its log-weights and log-evidence estimate are on the
/// tape. The results with a derivative — `log_evidence`, `mean`, `sd`, `prob`,
/// `weights` — return differentiable values (self-normalized estimates for the
/// expectations); the others refuse, naming `stop_gradient`, rather than return a value
/// whose gradient would silently be zero.
final class DifferentiatedPosterior: Posterior {
  let trackedLogWeights: [Value]
  let trackedLogEvidence: Value

  init(traces: [Trace], logWeights: [Value], logEvidence: Value, observed: Set<Address>) throws {
    trackedLogWeights = logWeights
    trackedLogEvidence = logEvidence
    super.init(TraceStore(traces), count: traces.count, logWeights: try logWeights.map(Differentiation.primal),
               logEvidence: try Differentiation.primal(logEvidence), observed: observed)
  }

  /// The same weighted traces with derivatives dropped (`stop_gradient`).
  var plain: Posterior {
    Posterior(traces: traces.map { $0.withoutDerivatives() }, logWeights: logWeights, logEvidence: logEvidence, observed: observed)
  }

  /// One trace drawn in proportion to the weights. Its index depends on the weights,
  /// which has no pathwise derivative: inside an `expect` block under `grad` the
  /// index's log-probability joins the block's score (so the gradient stays unbiased);
  /// elsewhere the draw is refused rather than have that term dropped.
  func trackedDraw(_ c: CallContext) throws -> Trace {
    guard let estimator = c.runtime.estimator as? GradientEstimator, estimator.mode == .full else {
      throw c.fail("draw from a posterior that is being differentiated: which trace is drawn depends on the weights, which has no pathwise derivative; draw inside an expect block (its score-function term is then kept), or from stop_gradient(post)")
    }
    let k = try Distribution.categorical(logits: logWeights).sample(&c.runtime.rng)
    guard case .int(let index) = k else { throw c.fail("internal: a categorical drew a non-integer") }
    try estimator.addScore(try Differentiation.sub(trackedLogWeights[index], Differentiation.logsumexp(trackedLogWeights)))
    return traces[index]
  }

  /// The normalized weights as a vector on the tape.
  var trackedWeights: Value { get throws { try Differentiation.softmax(trackedLogWeights) } }

  /// The self-normalized estimate Σ w̄ᵢ f(xᵢ) of a numeric choice's mean, differentiable
  /// through the weights and through the values (reparameterized draws).
  func trackedMean(_ address: Address) throws -> Value {
    try Differentiation.weightedSum(try trackedWeights, try numbers(address))
  }

  /// The weighted standard deviation, (Σ w̄ᵢ (xᵢ − m)²)^½, on the tape.
  func trackedSD(_ address: Address) throws -> Value {
    let xs = try numbers(address), m = try trackedMean(address)
    let squares = try xs.map { x -> Value in
      let d = try Differentiation.sub(x, m)
      return try Differentiation.mul(d, d)
    }
    return try Differentiation.unary(.sqrt, try Differentiation.weightedSum(try trackedWeights, squares))
  }

  /// The posterior probability that a choice equals `value`: Σ w̄ᵢ [xᵢ = value], on the tape.
  func trackedProbability(_ address: Address, _ value: Value) throws -> Value {
    let indicators = choicesIfPresent(address).map { v -> Value in .real(v?.outcome == value.outcome ? 1 : 0) }
    return try Differentiation.weightedSum(try trackedWeights, indicators)
  }

  private func numbers(_ address: Address) throws -> [Value] {
    try choices(address).map { v in
      if case .tracked = v, v.outcome?.number != nil { return v }
      guard let x = v.outcome?.number else { throw RuntimeError("the choice at '\(address)' is a \(v.typeName), not a number") }
      return .real(x)
    }
  }
}

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
  var plain: Posterior { Posterior(traces: traces, logWeights: logWeights, logEvidence: logEvidence, observed: observed) }

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

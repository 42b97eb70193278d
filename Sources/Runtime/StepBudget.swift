/// One machine run's share of the step and time limits: steps are counted down locally
/// and reported to the context when the allowance is spent (where the limits are
/// checked) and when the run ends.
struct StepBudget {
  private var remaining: Int
  private var allowance: Int

  init(_ context: RuntimeContext) {
    allowance = context.stepAllowance()
    remaining = allowance
  }

  /// Spends `steps` (one per call or loop iteration of each member).
  @inline(__always) mutating func spend(_ steps: Int, _ context: RuntimeContext) throws {
    remaining -= steps
    if remaining < 0 { try refill(context) }
  }

  /// Counts the steps of the allowance just spent, checks the limits, and grants more.
  mutating func refill(_ context: RuntimeContext) throws {
    settle(context)
    try context.checkLimits()
    allowance = context.stepAllowance()
    remaining = allowance
  }

  /// Reports the steps spent since the last report to the context.
  mutating func settle(_ context: RuntimeContext) {
    context.steps &+= allowance - remaining
    allowance = remaining
  }
}

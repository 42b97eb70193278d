/// How gradient estimation differentiates through a random choice (SPEC §7): written
/// `d.reparam`, `d.reinforce`, `d.reinforce(baseline: b)`, `d.enum`, `d.mvd`.
public enum GradientStrategy {
  /// The draw is a differentiable function of the parameters and parameter-free noise.
  case reparam
  /// Score function: the log-density's gradient times the rest of the program's value,
  /// less a baseline (a control variate; held constant).
  case reinforce(baseline: Double?)
  /// Runs the rest of the program once per support value, weighted by its probability.
  case enumerate
  /// Measure-valued derivative: the rest of the program runs at the positive and
  /// negative parts of the density's derivative.
  case mvd

  /// The name as written after the dot.
  public var name: String {
    switch self {
    case .reparam: return "reparam"
    case .reinforce: return "reinforce"
    case .enumerate: return "enum"
    case .mvd: return "mvd"
    }
  }
}

/// The gradient estimator of a running `grad`: every fresh random choice made while it
/// runs (in `expect` blocks and in `simulate`, `generate`, … inside them) is drawn by it,
/// so that it can reparameterize, score, enumerate or fork the choice.
public protocol ChoiceEstimator: AnyObject {
  func draw(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> Value
}

import Dispatch
import Foundation
import Distributions
import Syntax
import Tensor

/// Everything a running program shares: global slots, the random generator, the
/// builtins, resource limits and the output sink. One per interpreter — no globals.
public final class RuntimeContext {
  public struct Limits {
    /// Function calls plus loop iterations allowed in total (nil: unlimited).
    public var maxSteps: Int?
    /// Nested calls allowed at once.
    public var maxDepth: Int
    /// Wall-clock seconds allowed for one call into the interpreter (nil: unlimited).
    public var timeLimit: Double?
    public init(maxSteps: Int? = nil, maxDepth: Int = 10_000, timeLimit: Double? = nil) {
      self.maxSteps = maxSteps
      self.maxDepth = maxDepth
      self.timeLimit = timeLimit
    }
  }

  public var globals: [Value] = []
  public var rng: RandomGenerator
  public var limits: Limits
  public let builtins: BuiltinRegistry
  public var output: (String) -> Void
  /// Where warnings go (one line each, without the "warning: " prefix): standard error
  /// unless the embedder captured them.
  public var warnings: (String) -> Void
  /// Held while a context made by `child` writes to the output, so parallel chains
  /// and particles never call the sink at the same time.
  private let outputLock: NSLock
  public var scriptArguments: [String] = []
  public var allowFileIO: Bool
  /// Worker threads for parallel inference (chains, particle blocks); results do not
  /// depend on it.
  public var threads = ProcessInfo.processInfo.activeProcessorCount
  /// Steps taken so far (see `Limits.maxSteps`).
  public var steps = 0
  /// Gradient-based MCMC transitions that diverged (a non-finite density on the
  /// trajectory, or an energy error over 1000), counted by the kernels for the runners
  /// to report.
  public var divergentTransitions = 0
  /// The stack's lowest address on the thread last running this context (`StackGuard`).
  var stackLow: (thread: UInt, low: UInt)?
  /// The frame of the innermost machine run, and the most stack one nesting level has
  /// taken (`StackGuard`).
  var runFrame: UInt?
  var stackPerLevel: UInt = 0
  /// When the current call must end (see `Limits.timeLimit`); parsing and checking
  /// its source look at it too.
  public var deadline = Deadline.none
  /// True while `grad` runs its function (nested differentiation is refused).
  public var differentiating = false
  /// The gradient estimator drawing fresh choices while `grad` runs (see `ChoiceEstimator`).
  public var estimator: ChoiceEstimator?
  /// Whether calls may patch shared code with inline caches; off in contexts that run
  /// beside others on other threads (parallel chains), so shared code is only read.
  let patchesCode: Bool
  /// The interpreter's own context, for a context made by `child` (nil for that one).
  private let rootContext: RuntimeContext?
  /// Parallel work (chains, particle blocks) running on children of this context
  /// (counted on the interpreter's own context, by the thread that owns it).
  public var parallelRegions = 0
  /// Machine runs nested inside builtins (a closure called by `map`, a `simulate`).
  var nesting = 0
  /// Nested machine runs allowed: each uses native stack, unlike PPL calls.
  static let maxNesting = 200

  public init(seed: UInt64, limits: Limits, builtins: BuiltinRegistry, allowFileIO: Bool, output: @escaping (String) -> Void,
              warnings: @escaping (String) -> Void = RuntimeContext.standardError) {
    self.rng = RandomGenerator(seed: seed)
    self.limits = limits
    self.builtins = builtins
    self.allowFileIO = allowFileIO
    self.output = output
    self.warnings = warnings
    self.outputLock = NSLock()
    self.patchesCode = true
    self.rootContext = nil
  }

  private init(parent: RuntimeContext, rng: RandomGenerator) {
    self.rng = rng
    self.limits = parent.limits
    self.builtins = parent.builtins
    self.allowFileIO = parent.allowFileIO
    // The root's own sinks, wrapped once: a child of a child must not take the lock twice.
    let root = parent.root
    let (sink, warningSink, lock) = (root.output, root.warnings, root.outputLock)
    self.output = { text in lock.withLock { sink(text) } }
    self.warnings = { text in lock.withLock { warningSink(text) } }
    self.outputLock = lock
    self.globals = parent.globals
    self.scriptArguments = parent.scriptArguments
    self.steps = parent.steps
    self.deadline = parent.deadline
    self.threads = parent.threads
    self.differentiating = parent.differentiating
    self.estimator = parent.estimator
    self.patchesCode = false
    self.rootContext = parent.root
  }

  /// Writes "warning: MESSAGE" on a line of standard error.
  public static func standardError(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
  }

  /// Reports a warning: a result that is returned but should not be trusted as it is.
  public func warn(_ message: String) { warnings(message) }

  /// The interpreter's own context, which the children of children share.
  public var root: RuntimeContext { rootContext ?? self }

  /// A context to run a function on from code that may be on any thread (a flow's
  /// bijector called while scoring): this one, or while parallel work runs on its
  /// children, a fresh child, so no two threads run on one context.
  public func forCallFromAnyThread() -> RuntimeContext {
    parallelRegions > 0 ? child(rng: rng) : self
  }

  /// Steps between clock readings when a time or memory limit is set.
  static let clockInterval = 1 << 14

  /// How many steps a run may take before `checkLimits` must be called.
  func stepAllowance() -> Int {
    let left = limits.maxSteps.map { max($0 - steps, 0) } ?? Int.max
    return deadline.uptimeNanoseconds == nil && !MemoryBudget.isSet ? left : min(left, RuntimeContext.clockInterval)
  }

  /// Throws unless `callee` may be entered with `count` arguments from a run `depth`
  /// frames deep.
  func checkEntry(_ callee: Code, arguments count: Int, depth: Int) throws {
    guard count == callee.parameterCount else { throw RuntimeError(callee.arityMismatch(count)) }
    if depth + nesting * 50 >= limits.maxDepth {
      throw RuntimeError("maximum call depth exceeded (\(limits.maxDepth) nested calls)")
    }
  }

  /// Throws when the step budget is spent, the deadline has passed or the process is
  /// over the memory limit.
  public func checkLimits() throws {
    if let maxSteps = limits.maxSteps, steps > maxSteps { throw RuntimeError("step limit exceeded (\(maxSteps) steps)") }
    if deadline.hasPassed {
      throw RuntimeError("time limit exceeded (\(ValueFormatter.real(limits.timeLimit ?? 0)) s)")
    }
    do { try MemoryBudget.checkPeriodically() } catch let e as TensorError { throw RuntimeError(e.message) }
  }

  /// Starts the clock of `Limits.timeLimit` for one call into the interpreter.
  /// A limit too large to count in nanoseconds (or infinite) sets no deadline; a NaN
  /// or negative one ends the call at its first check.
  public func startClock() {
    guard let seconds = limits.timeLimit else { deadline = .none; return }
    let now = DispatchTime.now().uptimeNanoseconds
    let nanoseconds = seconds > 0 ? seconds * 1e9 : 0  // NaN compares false: 0
    deadline = Deadline(uptimeNanoseconds: nanoseconds < Double(UInt64.max - now) ? now + UInt64(nanoseconds) : nil)
  }

  /// A context for work on another thread (a parallel chain): the same globals,
  /// builtins, output (serialized) and differentiation state, its own random stream
  /// and step count.
  public func child(rng: RandomGenerator) -> RuntimeContext {
    RuntimeContext(parent: self, rng: rng)
  }

  /// Calls a function value (closure or builtin) to completion. Random choices cannot
  /// happen here (the checker keeps them inside `gen` and `expect`).
  public func call(_ function: Value, _ args: [Value], at span: Span) throws -> Value {
    switch function {
    case .builtin(let b):
      return try b.body(args, CallContext(runtime: self, span: span))
    case .closure(let c):
      var execution = try Execution(closure: c, arguments: args, context: self)
      var handler = NoRandomness()
      guard case .finished(let v) = try execution.run(&handler, self) else {
        throw RuntimeError("internal: a plain call suspended", at: span)
      }
      return v
    default:
      throw RuntimeError("cannot call a value of type \(function.typeName)", at: span)
    }
  }
}

/// What a builtin receives besides its arguments.
public struct CallContext {
  public let runtime: RuntimeContext
  /// The span of the call, for errors.
  public let span: Span

  public init(runtime: RuntimeContext, span: Span) {
    self.runtime = runtime
    self.span = span
  }

  public func call(_ function: Value, _ args: [Value]) throws -> Value {
    try runtime.call(function, args, at: span)
  }

  public func fail(_ message: String) -> RuntimeError { RuntimeError(message, at: span) }
}

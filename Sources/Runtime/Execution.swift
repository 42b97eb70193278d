import Distributions
import Syntax

/// Why a run stopped.
public enum RunOutcome {
  case finished(Value)
  case suspended(Suspension)
}

/// Where a suspended execution stopped.
public enum Suspension {
  /// At a random choice; resume with the chosen value.
  case choice(Address, Distribution)
  /// After an `observe` or `factor` was scored; resume with no value.
  case scored(Address)
}

/// A running program with all of its state in plain values: the register stack, the
/// call frames and program counters. Copying an `Execution` copies the computation —
/// resuming the copies continues each independently (SMC particles, forked
/// continuations). Arrays are copy-on-write, so a copy is cheap until one side runs.
public struct Execution {
  struct Frame {
    let closure: Closure
    var pc: Int
    let base: Int
    /// Absolute register receiving the result; -1 for the entry frame.
    let returnRegister: Int
    /// Address prefix of a traced call: its callee's choices nest under it.
    let prefix: Address
  }

  var stack: [Value] = []
  var frames: [Frame] = []
  /// The absolute register awaiting a value after a suspension at a choice.
  var pendingRegister: Int?

  /// Prepares a call of `closure` with arguments; nothing runs until `run`.
  public init(closure: Closure, arguments: [Value], context: RuntimeContext, prefix: Address = .root) throws {
    let code = closure.code
    guard arguments.count == code.parameterCount else {
      throw RuntimeError("\(code.name) expects \(code.parameterCount) argument\(code.parameterCount == 1 ? "" : "s"), got \(arguments.count)", at: code.span)
    }
    stack = arguments + Array(repeating: .unit, count: max(0, code.registerCount - arguments.count))
    frames = [Frame(closure: closure, pc: 0, base: 0, returnRegister: -1, prefix: prefix)]
  }

  public var isFinished: Bool { frames.isEmpty }

  /// Supplies the value of the random choice this execution is suspended at.
  public mutating func resume(with value: Value) {
    if let r = pendingRegister { stack[r] = value }
    pendingRegister = nil
  }

  mutating func pushFrame(_ closure: Closure, argumentsAt start: Int, count: Int, returnRegister: Int,
                          prefix: Address, _ context: RuntimeContext, span: Span) throws
  {
    let code = closure.code
    guard count == code.parameterCount else {
      throw RuntimeError("\(code.name) expects \(code.parameterCount) argument\(code.parameterCount == 1 ? "" : "s"), got \(count)", at: span)
    }
    if frames.count + context.nesting * 50 >= context.limits.maxDepth {
      throw RuntimeError("maximum call depth exceeded (\(context.limits.maxDepth) nested calls)", at: span)
    }
    let base = stack.count
    stack.reserveCapacity(base + code.registerCount)
    for i in 0..<count { stack.append(stack[start + i]) }
    for _ in count..<max(count, code.registerCount) { stack.append(.unit) }
    frames.append(Frame(closure: closure, pc: 0, base: base, returnRegister: returnRegister, prefix: prefix))
  }

  /// Adds the source span and PPL call stack to an error leaving this execution.
  func annotate(_ error: Error, pc: Int) -> RuntimeError {
    var e: RuntimeError
    switch error {
    case let r as RuntimeError: e = r
    case let d as DistributionError: e = RuntimeError(d.message)
    default: e = RuntimeError(String(describing: error))
    }
    for (depth, frame) in frames.enumerated().reversed() {
      let code = frame.closure.code
      let at = depth == frames.count - 1 ? pc : frame.pc
      let span = code.spans.isEmpty ? code.span : code.spans[max(0, min(at - 1, code.spans.count - 1))]
      if e.span == nil { e.span = span }
      e.stack.append((span, code.name))
    }
    return e
  }
}

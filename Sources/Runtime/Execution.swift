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

/// A running program with all of its state in plain values: the registers, the call
/// frames and program counters. Copying an `Execution` copies the computation —
/// resuming the copies continues each independently (SMC particles, forked
/// continuations). The register file is copied lazily, when a copy first runs.
public struct Execution {
  struct Frame {
    /// Kept alive by `closures` or a global slot; unmanaged here so frame reads cost
    /// no reference counting.
    let closure: Unmanaged<Closure>

    var code: Code { closure._withUnsafeGuaranteedRef { $0.code } }
    var pc: Int
    let base: Int
    /// Absolute register receiving the result; -1 for the entry frame.
    let returnRegister: Int
    /// Index into `prefixes`: the address its choices nest under.
    let prefix: Int
  }

  var registers: RegisterFile
  var frames: [Frame] = []
  /// Owners of the frames' closures (one entry per frame); nil for a declared
  /// function, which its global slot keeps alive.
  var closures: [Closure?] = []
  /// Address prefixes of traced calls; frames refer to them by index.
  var prefixes: [Address]
  /// The absolute register awaiting a value after a suspension at a choice.
  var pendingRegister: Int?

  /// Prepares a call of `closure` with arguments; nothing runs until `run`. The call
  /// counts as one step against the context's limits (inference starts many).
  public init(closure: Closure, arguments: [Value], context: RuntimeContext, prefix: Address = .root) throws {
    context.steps &+= 1
    try context.checkLimits()
    let code = closure.code
    guard arguments.count == code.parameterCount else {
      throw RuntimeError(code.arityMismatch(arguments.count), at: code.span)
    }
    registers = RegisterFile()
    registers.grow(by: max(code.registerCount, arguments.count))
    for (i, a) in arguments.enumerated() { registers.base[i] = a }
    prefixes = [prefix]
    frames = [Frame(closure: .passUnretained(closure), pc: 0, base: 0, returnRegister: -1, prefix: 0)]
    closures = [closure]
  }

  public var isFinished: Bool { frames.isEmpty }

  /// Supplies the value of the random choice this execution is suspended at.
  public mutating func resume(with value: Value) {
    guard let r = pendingRegister else { return }
    if !isKnownUniquelyReferenced(&registers) { registers = registers.copy() }
    registers.base[r] = value
    pendingRegister = nil
  }

  /// Adds the source span and PPL call stack to an error leaving this execution.
  func annotate(_ error: Error, pc: Int) -> RuntimeError { Execution.annotate(error, frames: frames, pc: pc) }

  /// Adds the source span and PPL call stack of `frames` (stopped at `pc`) to an error.
  static func annotate(_ error: Error, frames: [Frame], pc: Int) -> RuntimeError {
    var e: RuntimeError
    switch error {
    case let r as RuntimeError: e = r
    case let d as DistributionError: e = RuntimeError(d.message)
    default: e = RuntimeError(String(describing: error))
    }
    for (depth, frame) in frames.enumerated().reversed() {
      let code = frame.code
      let at = depth == frames.count - 1 ? pc : frame.pc
      let span = code.spans.isEmpty ? code.span : code.spans[max(0, min(at - 1, code.spans.count - 1))]
      if e.span == nil { e.span = span }
      e.stack.append((span, code.name))
    }
    return e
  }
}

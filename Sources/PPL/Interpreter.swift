import Distributions
import Foundation
import IR
import Inference
import Runtime
import Syntax
import Tensor
import Types

@_exported import struct Runtime.Address
@_exported import enum Runtime.Value
@_exported import struct Syntax.Diagnostic
@_exported import struct Tensor.Tensor
@_exported import enum Tensor.BLASKernel

/// A PPL interpreter: one independent instance owns its globals, random generator,
/// builtins and limits (no mutable global state), so instances may run concurrently on
/// different threads. One instance is used by one thread at a time: a call from a
/// second thread while one runs throws an error (see `ThreadOwnership`).
///
///     let ppl = Interpreter(options: .init(seed: 7))
///     try ppl.load(path: "model.ppl")
///     let v = try ppl.eval("mean_of([1.0, 2.0])")
public final class Interpreter {
  public struct Options {
    /// Fixes every random result; nil draws a seed from the system.
    public var seed: UInt64?
    /// False removes the builtins that read or write files.
    public var allowFileIO: Bool
    /// Function calls plus loop iterations allowed in total (nil: unlimited).
    public var maxSteps: Int?
    /// Nested calls allowed at once.
    public var maxDepth: Int
    /// Wall-clock seconds allowed for each `load`, `eval` or `call`, inference included
    /// (nil: unlimited); running out is a runtime error.
    public var timeLimit: Double?
    /// Worker threads for parallel chains and particles; nil uses every core. Results
    /// do not depend on it.
    public var threads: Int?
    /// Where `print` writes.
    public var output: (String) -> Void
    /// Where warnings go, one message per call without the "warning: " prefix (a
    /// chain that did not mix, divergent transitions); standard error by default.
    public var warnings: (String) -> Void
    /// What `args()` returns.
    public var arguments: [String]

    public init(seed: UInt64? = nil, allowFileIO: Bool = true, maxSteps: Int? = nil, maxDepth: Int = 10_000,
                timeLimit: Double? = nil, threads: Int? = nil,
                output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                warnings: @escaping (String) -> Void = RuntimeContext.standardError,
                arguments: [String] = [])
    {
      self.seed = seed
      self.allowFileIO = allowFileIO
      self.maxSteps = maxSteps
      self.maxDepth = maxDepth
      self.timeLimit = timeLimit
      self.threads = threads
      self.output = output
      self.warnings = warnings
      self.arguments = arguments
    }
  }

  let runtime: RuntimeContext
  let registry: BuiltinRegistry
  /// The builtins this interpreter's programs may call (no file access when disallowed).
  let builtins: BuiltinTable
  var globals = GlobalEnvironment()
  var loadedModules: Set<String> = []
  var loading: [String] = []
  let ownership = ThreadOwnership()
  /// What this interpreter's compiled code is marked with (see `Code.owner`).
  let identity = Identity()
  final class Identity {}

  /// The most bytes of memory the process may hold before a running program stops with an
  /// "out of memory" runtime error (nil: no limit). Process-wide, as memory is: it holds
  /// for every interpreter at once. Default: three quarters of the memory available
  /// (physical, or the container's limit).
  public static var memoryLimit: Int? {
    get { MemoryBudget.limit }
    set { MemoryBudget.limit = newValue }
  }

  /// The bytes of memory the process holds now (what `memoryLimit` is compared with).
  public static var memoryInUse: Int { MemoryBudget.inUse() }

  /// Every builtin, declared once per process by the layers that implement them.
  public static let standardBuiltins: BuiltinRegistry = {
    let registry = BuiltinRegistry()
    RuntimeBuiltins.declare(into: registry)
    InferenceBuiltins.declare(into: registry)
    return registry
  }()

  public init(options: Options = .init()) {
    let registry = Interpreter.standardBuiltins
    // unreachable: the declarations are fixed when the library is built, and
    // BuiltinDeclarationTests keeps them free of duplicates and unparsable signatures.
    precondition(registry.problems.isEmpty, "inconsistent builtin declarations: \(registry.problems)")
    self.registry = registry
    self.builtins = registry.table(allowingFiles: options.allowFileIO)
    runtime = RuntimeContext(seed: options.seed ?? UInt64.random(in: 0...UInt64.max),
                             limits: .init(maxSteps: options.maxSteps, maxDepth: options.maxDepth, timeLimit: options.timeLimit),
                             builtins: registry, allowFileIO: options.allowFileIO, output: options.output,
                             warnings: options.warnings)
    runtime.scriptArguments = options.arguments
    if let threads = options.threads { runtime.threads = max(1, threads) }
  }

  /// Reseeds the random generator.
  public func seed(_ seed: UInt64) {
    runtime.rng = RandomGenerator(seed: seed)
  }

  // MARK: Loading and evaluating

  /// Loads and runs a script file (its imports first).
  public func load(path: String) throws {
    try ownership.run {
      let text = try SourceReader.read(path)
      loadedModules.insert(URL(fileURLWithPath: path).standardizedFileURL.path)
      runtime.startClock()
      _ = try run(source: text, name: path, keepLastValue: false)
    }
  }

  /// Loads and runs source text; `name` is used in diagnostics and for relative imports.
  public func load(source: String, name: String = "<input>") throws {
    try ownership.run {
      runtime.startClock()
      _ = try run(source: source, name: name, keepLastValue: false)
    }
  }

  /// Evaluates source text and returns the value of its last expression (Unit if none).
  @discardableResult
  public func eval(_ source: String, name: String = "<eval>") throws -> Value {
    try ownership.run {
      runtime.startClock()
      return try run(source: source, name: name, keepLastValue: true)
    }
  }

  /// Calls a top-level `fn` (or simulates a `gen` and returns its return value).
  public func call(_ name: String, _ arguments: [Value]) throws -> Value {
    try ownership.run {
      guard let entry = globals.entries[name] else {
        throw PPLError(.runtime, [.error("unknown name '\(name)'", at: .none)])
      }
      let value = runtime.globals[entry.slot]
      let parameters: [Type]
      switch entry.type {
      case .function(let ps, _): parameters = ps
      case .gen(.tuple(let ps), _): parameters = ps
      case .gen(let p, _): parameters = [p]
      default: throw PPLError(.runtime, [.error("'\(name)' is a \(entry.type), not a function or gen", at: .none)])
      }
      guard parameters.count == arguments.count else {
        throw PPLError(.runtime, [.error("'\(name)' takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), got \(arguments.count)", at: .none)])
      }
      for (i, (type, argument)) in zip(parameters, arguments).enumerated() {
        if let problem = argument.mismatch(against: type, owner: identity) {
          throw PPLError(.runtime, [.error("argument \(i + 1) of '\(name)': \(problem)", at: .none)])
        }
      }
      runtime.startClock()
      do {
        if case .closure(let c) = value, c.code.isGen {
          let trace = try InferenceBuiltins.simulate(c, arguments, CallContext(runtime: runtime, span: c.code.span))
          return trace.retval
        }
        return try runtime.call(value, arguments, at: .none)
      } catch let e as RuntimeError {
        throw PPLError(e)
      }
    }
  }

  /// Defines a global function implemented in Swift, with a PPL type such as
  /// `"fn(Tensor) -> Real"`.
  public func define(_ name: String, type: String, _ body: @escaping ([Value]) throws -> Value) throws {
    try ownership.run {
      let file = SourceFile(name: "<define \(name)>", text: type)
      let resolved = try Checker.resolveType(text: file, globals: globals)
      let slot = globals.define(name, type: resolved, mutable: false)
      ensureGlobalSlots()
      let result: Type
      if case .function(_, let r) = resolved { result = r } else { result = .any }
      let owner = identity
      runtime.globals[slot] = .builtin(BuiltinFunction(name: name) { args, _ in
        let value = try body(args)
        if let problem = value.mismatch(against: result, owner: owner) { throw RuntimeError("\(name) (defined by the host) returned a wrong value: \(problem)") }
        return value
      })
    }
  }

  func ensureGlobalSlots() {
    if runtime.globals.count < globals.slotCount {
      runtime.globals += Array(repeating: .unit, count: globals.slotCount - runtime.globals.count)
    }
  }
}

extension Interpreter {
  /// The current value of a top-level name (nil if undefined).
  public func value(of name: String) -> Value? {
    guard let entry = globals.entries[name], entry.slot < runtime.globals.count else { return nil }
    return runtime.globals[entry.slot]
  }

  /// The runtime context, for the layers built on the interpreter (inference, tests).
  public var context: RuntimeContext { runtime }
}

import Tensor
import Types

/// A builtin's arguments, read by the names its signature gives them (`try a.real("mu")`).
public struct Arguments {
  /// The parameter names of a declaration, shared by all its calls.
  final class Labels {
    let builtin: String
    let names: [String]
    init(_ signature: BuiltinSignature) {
      builtin = signature.name
      names = signature.parameters.map(\.label)
    }
  }

  /// In parameter order; a variadic parameter's values come last.
  public let values: [Value]
  /// Held by the declaration's function, which outlives every call (so no reference count).
  unowned(unsafe) let labels: Labels

  init(_ values: [Value], _ labels: Labels) {
    self.values = values
    self.labels = labels
  }

  /// The argument for the parameter `name` (for a variadic parameter, its first value).
  public subscript(_ name: String) -> Value {
    get throws {
      guard let i = labels.names.firstIndex(of: name), i < values.count else {
        throw RuntimeError("internal: \(labels.builtin) has no argument '\(name)'")
      }
      return values[i]
    }
  }

  public func int(_ name: String) throws -> Int { try self[name].asInt() }
  public func real(_ name: String) throws -> Double { try self[name].asReal() }
  public func bool(_ name: String) throws -> Bool { try self[name].asBool() }
  public func string(_ name: String) throws -> String { try self[name].asString() }
  public func list(_ name: String) throws -> [Value] { try self[name].asList() }
  public func tensor(_ name: String) throws -> Tensor { try self[name].asTensor() }


  /// Whether the declaration has a parameter of this name (overloads that share a body).
  public func has(_ name: String) -> Bool { labels.names.contains(name) }

  /// Whether any argument is being differentiated.
  public var areTracked: Bool { values.contains(where: Autodiff.isTracked) }
}

/// The body of a declared builtin.
public typealias DeclaredBody = (_ args: Arguments, _ context: CallContext) throws -> Value

/// How a builtin meets arguments that are being differentiated (see `grad`).
public enum Differentiability {
  /// The body handles them itself: containers pass them along, inference and
  /// distributions record on the tape, and numeric accessors refuse them with an error.
  case transparent
  /// When an argument is differentiated, the rule runs instead and records the
  /// derivative on the tape.
  case rule(DeclaredBody)
  /// The result depends on values only; differentiated arguments are read as values.
  case valuesOnly
}

/// One builtin, declared once beside its body: its signature (for the checker, with
/// named parameters and defaults), its body (arguments read by name), how it is
/// differentiated, whether it touches files (a sandboxed interpreter leaves it out), and
/// the machine instruction that may replace the call.
public struct Builtin {
  public let signature: BuiltinSignature
  public let body: DeclaredBody
  public let differentiability: Differentiability
  public let touchesFiles: Bool
  public let intrinsic: Intrinsic?
  /// The form over a batch's columns (see `BuiltinFunction.batched`).
  public let batched: BatchedBody?
  /// Whether the result's static type is only as good as a promise the arguments do not
  /// keep (a trace's return value, where `Trace[r]` came from a posterior not tied to
  /// its model): the machine then checks the result against the type the program expects.
  public let checksResult: Bool

  /// The body as the machine calls it: positional values in, differentiation handled.
  func function() -> BuiltinFunction {
    let labels = Arguments.Labels(signature), body = self.body, touchesFiles = self.touchesFiles
    let run: BuiltinBody
    switch differentiability {
    case .transparent:
      run = { values, c in try body(Arguments(values, labels), c) }
    case .rule(let rule):
      run = { values, c in
        let args = Arguments(values, labels)
        if args.areTracked { return try Autodiff.wrap { try rule(args, c) } }
        return try body(args, c)
      }
    case .valuesOnly:
      run = { values, c in
        let plain = values.contains(where: Autodiff.isTracked) ? values.map(RuntimeBuiltins.primalValue) : values
        return try body(Arguments(plain, labels), c)
      }
    }
    guard touchesFiles else { return BuiltinFunction(name: signature.name, batched: batched, body: run) }
    return BuiltinFunction(name: signature.name) { values, c in
      guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
      return try run(values, c)
    }
  }
}

/// Every builtin of the language, each declared once by the layer that implements it
/// (`RuntimeBuiltins`, `InferenceBuiltins`); the checker's signature table is built
/// from the declarations. Declaring the same name and parameter types twice, or a
/// signature that does not parse, is recorded in `problems` (a test keeps it empty).
/// Also holds readers for fields and indices of runtime objects read by name at run
/// time (values whose type the checker left open).
public final class BuiltinRegistry {
  public private(set) var builtins: [Builtin] = []
  public private(set) var problems: [String] = []
  private var keys: [String: Int] = [:]
  private var properties: [(RuntimeObject, String) throws -> Value?] = []
  private var lookups: [(RuntimeObject, Value) throws -> Value?] = []

  public init() {}

  /// Declares a builtin from its signature text (`"fn sum(xs: List[Int]) -> Int"`).
  public func declare(_ text: String, differentiability: Differentiability = .transparent, touchesFiles: Bool = false,
                      intrinsic: Intrinsic? = nil, batched: BatchedBody? = nil, checksResult: Bool = false,
                      _ body: @escaping DeclaredBody) {
    guard let signature = BuiltinSignature.parse(text, id: builtins.count) else {
      problems.append("the signature '\(text)' does not parse")
      return
    }
    if let first = keys.updateValue(builtins.count, forKey: signature.key) {
      keys[signature.key] = first
      problems.append("\(signature.key) is declared twice")
      return
    }
    builtins.append(Builtin(signature: signature, body: body, differentiability: differentiability,
                            touchesFiles: touchesFiles, intrinsic: intrinsic, batched: batched, checksResult: checksResult))
  }

  /// The signatures a program may call: all of them, or all but those touching files.
  public func table(allowingFiles: Bool) -> BuiltinTable {
    BuiltinTable(builtins.filter { allowingFiles || !$0.touchesFiles }.map(\.signature))
  }

  /// The declaration with this id (`BuiltinSignature.id`).
  public func builtin(_ id: Int) -> Builtin? { id >= 0 && id < builtins.count ? builtins[id] : nil }

  /// The first declaration of a name (internal builtins have one).
  public func builtin(named name: String) -> Builtin? { builtins.first { $0.signature.name == name } }

  /// Adds a reader of `object.name` for some kind of runtime object (nil: not mine).
  public func registerProperty(_ reader: @escaping (RuntimeObject, String) throws -> Value?) {
    properties.append(reader)
  }

  /// Adds a reader of `object[key]` for some kind of runtime object (nil: not mine).
  public func registerLookup(_ reader: @escaping (RuntimeObject, Value) throws -> Value?) {
    lookups.append(reader)
  }

  func property(_ value: Value, _ name: String) throws -> Value {
    if case .record(let names, let values) = value, let i = names.firstIndex(of: name) { return values[i] }
    if case .object(let o) = value {
      for reader in properties { if let v = try reader(o, name) { return v } }
    }
    throw RuntimeError("a value of type \(value.typeName) has no field '\(name)'")
  }

  func lookup(_ value: Value, _ key: Value) throws -> Value {
    if case .object(let o) = value {
      for reader in lookups { if let v = try reader(o, key) { return v } }
    }
    throw RuntimeError("a value of type \(value.typeName) cannot be indexed")
  }
}

import Types

/// Builtin implementations keyed by name and parameter types, as `sum(List[Int])`
/// (type parameters print as `?`), matching the checker's signature table; plus
/// readers for runtime objects' fields and indices. Each layer registers its own.
public final class BuiltinRegistry {
  private var bodies: [String: BuiltinBody] = [:]
  private var properties: [(RuntimeObject, String) throws -> Value?] = []
  private var lookups: [(RuntimeObject, Value) throws -> Value?] = []

  public init() {}

  /// Registers the body for the signature whose key is `key` (`"sum(List[Int])"`).
  public func register(_ key: String, _ body: @escaping BuiltinBody) {
    bodies[key] = body
  }

  /// The key of a signature: its name and parameter types.
  public static func key(_ signature: BuiltinSignature) -> String {
    signature.name + "(" + signature.parameters.map { $0.type.description }.joined(separator: ", ") + ")"
  }

  public func body(forKey key: String) -> BuiltinBody? { bodies[key] }

  public func body(_ name: String, overload: Int) -> BuiltinBody? {
    if name.hasPrefix("__"), let body = bodies[name] { return body }  // internal builtins without a signature
    guard let overloads = Builtins.table[name], overload < overloads.count else { return nil }
    return bodies[BuiltinRegistry.key(overloads[overload])]
  }

  /// Signatures with no registered body (a test keeps this empty).
  public func missingBodies() -> [String] {
    Builtins.table.values.flatMap { $0 }.map(BuiltinRegistry.key).filter { bodies[$0] == nil }.sorted()
  }

  /// Adds a reader of `object.name` for some kind of runtime object (nil: not mine).
  public func registerProperty(_ reader: @escaping (RuntimeObject, String) throws -> Value?) {
    properties.append(reader)
  }

  /// Adds a reader of `object[key]` for some kind of runtime object (nil: not mine).
  public func registerLookup(_ reader: @escaping (RuntimeObject, Value) throws -> Value?) {
    lookups.append(reader)
  }

  func property(_ value: Value, _ name: String) throws -> Value {
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

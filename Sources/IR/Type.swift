/// PPL's static types. `Unit` is the empty tuple; records are structural with fields
/// sorted by name; `variable` is an inference variable resolved by the checker.
public indirect enum Type: Hashable, Sendable {
  case int, real, bool, string, tensor
  case tuple([Type])
  case list(Type)
  case record([String], [Type])
  case function([Type], Type)
  /// A generative function: its argument tuple and its return type.
  case gen(Type, Type)
  case dist(Type)
  case trace(Type)
  /// Runtime-only values with no type parameters: ChoiceMap, Selection, Addr, Expect,
  /// Posterior, Samples, Optimizer.
  case opaque(String)
  case variable(Int)
  /// A value whose type is checked at run time (unconstrained results).
  case any

  public static let unit = Type.tuple([])
  public static let choiceMap = Type.opaque("ChoiceMap")
  public static let selection = Type.opaque("Selection")
  public static let expectation = Type.opaque("Expect")

  /// Builds a record type, sorting fields by name.
  public static func makeRecord(_ fields: [(String, Type)]) -> Type {
    let sorted = fields.sorted { $0.0 < $1.0 }
    return .record(sorted.map(\.0), sorted.map(\.1))
  }

  public var isUnit: Bool { self == .tuple([]) }

  /// A declared function's type parameter is written as one lowercase letter and
  /// represented as an opaque type of that name.
  public static func isTypeParameterName(_ name: String) -> Bool {
    name.count == 1 && name.first?.isLowercase == true
  }

  /// Applies `f` to every component type, innermost first.
  public func mapped(_ f: (Type) -> Type) -> Type {
    switch self {
    case .tuple(let ts): return f(.tuple(ts.map { $0.mapped(f) }))
    case .list(let e): return f(.list(e.mapped(f)))
    case .record(let ns, let ts): return f(.record(ns, ts.map { $0.mapped(f) }))
    case .function(let ps, let r): return f(.function(ps.map { $0.mapped(f) }, r.mapped(f)))
    case .gen(let a, let r): return f(.gen(a.mapped(f), r.mapped(f)))
    case .dist(let e): return f(.dist(e.mapped(f)))
    case .trace(let e): return f(.trace(e.mapped(f)))
    default: return f(self)
    }
  }
}

extension Type: CustomStringConvertible {
  public var description: String {
    switch self {
    case .int: return "Int"
    case .real: return "Real"
    case .bool: return "Bool"
    case .string: return "String"
    case .tensor: return "Tensor"
    case .tuple(let ts):
      if ts.isEmpty { return "Unit" }
      if ts.count == 1 { return "(\(ts[0]),)" }
      return "(" + ts.map(\.description).joined(separator: ", ") + ")"
    case .list(let t): return "List[\(t)]"
    case .record(let names, let types):
      return "{" + zip(names, types).map { "\($0): \($1)" }.joined(separator: ", ") + "}"
    case .function(let ps, let r):
      return "fn(" + ps.map(\.description).joined(separator: ", ") + ") -> \(r)"
    case .gen(let args, let r):
      if case .tuple(let ps) = args {
        return "Gen[(" + ps.map(\.description).joined(separator: ", ") + ") -> \(r)]"
      }
      return "Gen[\(args) -> \(r)]"
    case .dist(let t): return "Dist[\(t)]"
    case .trace(let t): return "Trace[\(t)]"
    case .opaque(let name): return name
    case .variable: return "?"
    case .any: return "?"
    }
  }
}

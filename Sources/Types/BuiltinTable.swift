import IR
import Syntax

/// One overload of a builtin as the checker sees it: labelled parameters (some with
/// defaults), a result type, and whether the last parameter repeats. Lowercase
/// single-letter type names are type parameters, instantiated afresh at each call.
/// `id` names the declaration that holds its body (the runtime's `BuiltinRegistry`).
public struct BuiltinSignature: Sendable {
  public struct Parameter: Sendable {
    public var label: String
    public var type: Type
    public var defaultValue: IRLiteral?
  }
  public var name: String
  public var parameters: [Parameter]
  public var result: Type
  public var variadic: Bool
  public var text: String
  public var id: Int

  /// The text without `fn `, as notes list the forms of a builtin.
  public var form: String { String(text.dropFirst(3)) }

  /// Name and parameter types, which two declarations may not share (`sum(List[Int])`).
  public var key: String { name + "(" + parameters.map { $0.type.description }.joined(separator: ", ") + ")" }

  /// Parses `fn name(label: Type = default, …) -> Result`; nil if the text is not one.
  public static func parse(_ text: String, id: Int) -> BuiltinSignature? {
    let file = SourceFile(name: "<builtins>", text: text)
    guard let parsed = Parser.parseSignature(file) else { return nil }
    var variables: [String: Type] = [:]
    func convert(_ t: TypeExpr) -> Type? {
      switch t {
      case .named(let name, let args, _):
        if Type.isTypeParameterName(name) {
          if let v = variables[name] { return v }
          let v = Type.variable(-(variables.count + 1))
          variables[name] = v
          return v
        }
        if name == "any" { return .any }
        return TypeResolver.builtinType(name, args.compactMap(convert))
      case .tuple(let ts, _): return .tuple(ts.compactMap(convert))
      case .record(let fs, _): return Type.makeRecord(fs.compactMap { f in convert(f.type).map { (f.name, $0) } })
      case .function(let ps, let r, _):
        return .function(ps.compactMap(convert), convert(r) ?? .any)
      }
    }
    var params: [Parameter] = []
    for p in parsed.parameters {
      guard let t = convert(p.type) else { return nil }
      let value: IRLiteral? = p.defaultValue.map {
        switch $0 {
        case .int(let i): return .int(i)
        case .real(let r): return .real(r)
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        }
      }
      params.append(.init(label: p.label, type: t, defaultValue: value))
    }
    guard let result = convert(parsed.result) else { return nil }
    return BuiltinSignature(name: parsed.name, parameters: params, result: result, variadic: parsed.variadic, text: text, id: id)
  }
}

/// The builtins a program may call, by name, each with its overloads in resolution
/// order. The runtime builds it from its declarations (leaving out what an interpreter
/// does not allow, such as file access) and hands it to the checker.
public struct BuiltinTable: Sendable {
  public private(set) var overloads: [String: [BuiltinSignature]] = [:]

  public init(_ signatures: [BuiltinSignature]) {
    for s in signatures { overloads[s.name, default: []].append(s) }
  }

  public subscript(name: String) -> [BuiltinSignature]? { overloads[name] }

  public var names: Dictionary<String, [BuiltinSignature]>.Keys { overloads.keys }

  /// Builtin constants usable as values.
  public static let constants: [String: Type] = ["pi": .real, "inf": .real, "nan": .real]

  /// Builtins the compiler calls for syntax (`__choicemap` for `choicemap {…}`,
  /// `__trace_score` for `t.score`): programs cannot name them.
  public static func isInternal(_ name: String) -> Bool { name.hasPrefix("__") }
}

import IR
import Syntax

/// Turns written types (`TypeExpr`) into `Type`s, expanding aliases.
public enum TypeResolver {
  /// The builtin type constructors; nil for an unknown name or a wrong argument count.
  static func builtinType(_ name: String, _ args: [Type]) -> Type? {
    switch (name, args.count) {
    case ("Int", 0): return .int
    case ("Real", 0): return .real
    case ("Bool", 0): return .bool
    case ("String", 0): return .string
    case ("Unit", 0): return .unit
    case ("Tensor", 0): return .tensor
    case ("List", 1): return .list(args[0])
    case ("Dist", 1): return .dist(args[0])
    case ("Trace", 1): return .trace(args[0])
    case ("Kernel", 1): return .function([.trace(args[0])], .trace(args[0]))
    case ("Gen", 1):
      guard case .function(let ps, let r) = args[0] else { return nil }
      // A lone type parameter stands for the whole argument tuple (`Gen[a -> r]`).
      if ps.count == 1, case .variable(let v) = ps[0], v < 0 { return .gen(ps[0], r) }
      if ps.count == 1, case .opaque(let name) = ps[0], Type.isTypeParameterName(name) { return .gen(ps[0], r) }
      return .gen(.tuple(ps), r)
    case ("ChoiceMap", 0), ("Selection", 0), ("Addr", 0), ("Expect", 0), ("Posterior", 0),
         ("Samples", 0), ("Particles", 0), ("Optimizer", 0):
      return .opaque(name)
    default: return nil
    }
  }

  static let constructorArity: [String: Int] = ["List": 1, "Dist": 1, "Trace": 1, "Kernel": 1, "Gen": 1]

  /// Resolves a written type; reports unknown names through `report`.
  /// `typeParameters`: a single lowercase letter names a type parameter (in the
  /// signature of a declared `fn` or `gen`), rigid inside its body.
  static func resolve(_ t: TypeExpr, aliases: [String: Type], typeParameters: Bool = false, report: (Diagnostic) -> Void) -> Type {
    func resolve(_ t: TypeExpr) -> Type { TypeResolver.resolve(t, aliases: aliases, typeParameters: typeParameters, report: report) }
    switch t {
    case .named(let name, let args, let span):
      if args.isEmpty, let alias = aliases[name] { return alias }
      if args.isEmpty && Type.isTypeParameterName(name) {
        if typeParameters { return .opaque(name) }
        report(.error("unknown type '\(name)'", at: span, notes: ["type parameters like '\(name)' may appear only in the signature of a declared fn or gen"]))
        return .any
      }
      let resolvedArgs = args.map { resolve($0) }
      if let type = builtinType(name, resolvedArgs) { return type }
      if let arity = constructorArity[name] {
        report(.error("'\(name)' takes \(arity) type argument\(arity == 1 ? "" : "s"), as in \(name)[T]", at: span))
      } else if name == "Gen" {
        report(.error("'Gen' takes a function type, as in Gen[(Real) -> Real]", at: span))
      } else {
        report(.error("unknown type '\(name)'", at: span))
      }
      return .any
    case .tuple(let ts, _):
      return .tuple(ts.map { resolve($0) })
    case .record(let fields, let span):
      var seen = Set<String>()
      for f in fields where !seen.insert(f.name).inserted {
        report(.error("duplicate field '\(f.name)' in record type", at: span))
      }
      return Type.makeRecord(fields.map { ($0.name, resolve($0.type)) })
    case .function(let ps, let r, _):
      return .function(ps.map { resolve($0) }, resolve(r))
    }
  }
}

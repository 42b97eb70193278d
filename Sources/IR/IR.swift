import Syntax

/// The typed IR: the checker's output and the input of every interpretation
/// (the compiler to machine code, the printer, and later transformations). Every node
/// carries its type and span; random choices, `observe`, `factor`, traced calls and
/// `expect` are explicit nodes.
public final class IRExpr {
  public var kind: IRKind
  public var type: Type
  public let span: Span
  public init(_ kind: IRKind, _ type: Type, _ span: Span) {
    self.kind = kind
    self.type = type
    self.span = span
  }
}

public enum IRLiteral: Sendable {
  case int(Int), real(Double), bool(Bool), string(String), unit
}

public indirect enum IRKind {
  case literal(IRLiteral)
  case local(Int, String)
  case capture(Int, String)
  case global(Int, String)
  /// A builtin used as a first-class value (`map(xs, sqrt)`).
  /// `id` names the builtin's declaration (`BuiltinSignature.id`).
  case builtinValue(String, id: Int)
  case callBuiltin(String, id: Int, [IRExpr])
  /// Call of a closure value.
  case call(IRExpr, [IRExpr])
  /// Direct call of a top-level `fn` through its global slot.
  case callGlobal(Int, String, [IRExpr])
  case unary(UnaryOp, IRExpr)
  case binary(BinaryOp, IRExpr, IRExpr)
  case ifElse(IRExpr, IRExpr, IRExpr?)
  case block([IRStmt], IRExpr?)
  case list([IRExpr])
  case tuple([IRExpr])
  case record([String], [IRExpr])
  case field(IRExpr, Int, String)
  case index(IRExpr, [IRExpr])
  case range(IRExpr, IRExpr, inclusive: Bool)
  case closure(IRFunction)
  case comprehension(element: IRExpr, pattern: IRPattern, iterable: IRExpr, condition: IRExpr?)
  /// A random choice from a distribution at an address.
  case choice(dist: IRExpr, address: IRExpr)
  /// A call of a generative function whose choices nest under an address.
  case tracedCall(gen: IRExpr, args: [IRExpr], address: IRExpr)
  case observe(dist: IRExpr, value: IRExpr)
  case factor(IRExpr)
  case choicemap([(IRExpr, IRExpr)])
  /// An expected-value program; its body is a parameterless function.
  case expect(IRFunction)
}

public indirect enum IRPattern {
  case slot(Int, String)
  case ignore
  case tuple([IRPattern])
}

public enum IRStmt {
  case bind(IRPattern, IRExpr)
  case assignLocal(Int, String, IRExpr)
  case assignGlobal(Int, String, IRExpr)
  case expr(IRExpr)
  case forLoop(IRPattern, IRExpr, [IRStmt], Span)
  case whileLoop(IRExpr, [IRStmt], Span)
  case breakLoop
  case continueLoop
  case returnValue(IRExpr, Span)
}

/// Where a closure's captured value comes from in the enclosing function.
public enum CaptureSource: Sendable {
  case local(Int)
  case capture(Int)
  /// A top-level `var`, copied when the closure is created.
  case global(Int)
}

/// A function body: top-level `fn`/`gen`, closure, `expect` block, or a unit's main code.
public final class IRFunction {
  public let name: String
  public let isGen: Bool
  public let span: Span
  public var paramNames: [String] = []
  public var paramTypes: [Type] = []
  public var returnType: Type = .unit
  public var captures: [(name: String, source: CaptureSource, type: Type)] = []
  /// Names and types of all local slots; parameters come first.
  public var localNames: [String] = []
  public var localTypes: [Type] = []
  public var body: IRExpr

  public init(name: String, isGen: Bool, span: Span, body: IRExpr) {
    self.name = name
    self.isGen = isGen
    self.span = span
    self.body = body
  }

  public var type: Type {
    isGen ? .gen(.tuple(paramTypes), returnType) : .function(paramTypes, returnType)
  }
}

/// One checked unit (a file or a REPL input): its main code and the global slots it
/// defines, in order.
public struct IRUnit {
  public var main: IRFunction
  public var functions: [IRFunction]
  public init(main: IRFunction, functions: [IRFunction]) {
    self.main = main
    self.functions = functions
  }
}

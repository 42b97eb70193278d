/// The abstract syntax tree. Nodes are classes so later phases can key side tables
/// (types, resolutions) on node identity; every node carries its source span.

public final class Expr: @unchecked Sendable {
  public let kind: ExprKind
  public let span: Span
  public init(_ kind: ExprKind, _ span: Span) {
    self.kind = kind
    self.span = span
  }
}

public indirect enum ExprKind {
  case int(Int)
  case real(Double)
  case bool(Bool)
  case string(String)
  case unit
  case name(String)
  case unary(UnaryOp, Expr)
  case binary(BinaryOp, Expr, Expr)
  case call(Expr, [Argument])
  case index(Expr, [Expr])
  case field(Expr, String)
  case list([Expr])
  case tuple([Expr])
  case record([(name: String, value: Expr)])
  case comprehension(element: Expr, pattern: Pattern, iterable: Expr, condition: Expr?)
  case closure(params: [Param], body: Expr)
  case ifElse(condition: Expr, then: Block, else: Expr?)
  case block(Block)
  case range(Expr, Expr, inclusive: Bool)
  case choicemap([(key: Expr, value: Expr)])
  case expect(Block)
}

public enum UnaryOp: String, Sendable { case negate = "-", not = "!" }

public enum BinaryOp: String, Sendable {
  case or = "||", and = "&&"
  case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
  case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "**"
}

public struct Argument {
  public var label: String?
  public var value: Expr
  public var span: Span

  public init(label: String?, value: Expr, span: Span) {
    self.label = label
    self.value = value
    self.span = span
  }
}

public struct Param {
  public var name: String
  public var type: TypeExpr?
  public var span: Span
}

public final class Block: @unchecked Sendable {
  public let statements: [Stmt]
  public let span: Span
  public init(_ statements: [Stmt], _ span: Span) {
    self.statements = statements
    self.span = span
  }
}

public indirect enum Pattern {
  case name(String, Span)
  case wildcard(Span)
  case tuple([Pattern], Span)

  public var span: Span {
    switch self {
    case .name(_, let s), .wildcard(let s), .tuple(_, let s): return s
    }
  }
}

public indirect enum TypeExpr {
  case named(String, [TypeExpr], Span)
  case tuple([TypeExpr], Span)
  case record([(name: String, type: TypeExpr)], Span)
  case function([TypeExpr], TypeExpr, Span)

  public var span: Span {
    switch self {
    case .named(_, _, let s), .tuple(_, let s), .record(_, let s), .function(_, _, let s): return s
    }
  }
}

public enum AssignOp: String, Sendable { case assign = "=", add = "+=", sub = "-=", mul = "*=", div = "/=" }

public final class Stmt: @unchecked Sendable {
  public let kind: StmtKind
  public let span: Span
  public init(_ kind: StmtKind, _ span: Span) {
    self.kind = kind
    self.span = span
  }
}

public enum StmtKind {
  case binding(pattern: Pattern, mutable: Bool, type: TypeExpr?, value: Expr)
  /// `let p ~ e @ a` (pattern present) or `~ e @ a`.
  case choice(pattern: Pattern?, type: TypeExpr?, source: Expr, address: Expr?)
  case assign(target: Expr, op: AssignOp, value: Expr)
  case expr(Expr)
  case forLoop(pattern: Pattern, iterable: Expr, body: Block)
  case whileLoop(condition: Expr, body: Block)
  case breakLoop
  case continueLoop
  case returnValue(Expr?)
  case function(FunctionDecl)
  case typeAlias(name: String, type: TypeExpr)
  case importModule(path: String, isFile: Bool)
}

public final class FunctionDecl: @unchecked Sendable {
  public let name: String
  public let nameSpan: Span
  public let params: [Param]
  public let returnType: TypeExpr?
  public let body: Block
  public let isGen: Bool
  public init(name: String, nameSpan: Span, params: [Param], returnType: TypeExpr?, body: Block, isGen: Bool) {
    self.name = name
    self.nameSpan = nameSpan
    self.params = params
    self.returnType = returnType
    self.body = body
    self.isGen = isGen
  }
}

/// A parsed file or REPL input: top-level statements in order.
public struct Program {
  public var statements: [Stmt]
  public var file: SourceFile
}

import IR
import Syntax

extension Checker {
  /// Checks a block in a new scope; its value is its last expression statement.
  mutating func checkBlock(_ block: Block) -> IRExpr {
    context.scopes.append([:])
    defer { context.scopes.removeLast() }
    var statements: [IRStmt] = []
    var value: IRExpr?
    for (i, stmt) in block.statements.enumerated() {
      if i == block.statements.count - 1, case .expr(let e) = stmt.kind {
        value = checkExpr(e)
      } else {
        statements += checkStatement(stmt)
      }
    }
    var type = value?.type ?? .unit
    if value == nil, let last = block.statements.last {
      switch last.kind {
      case .returnValue, .breakLoop, .continueLoop: type = fresh()  // never falls through
      default: break
      }
    }
    return node(.block(statements, value), type, block.span)
  }

  mutating func checkStatement(_ stmt: Stmt) -> [IRStmt] {
    switch stmt.kind {
    case .binding(let pattern, let mutable, let annotation, let value):
      let expected = annotation.map { resolveType($0) }
      let v = checkExpr(value, expected: expected)
      if let expected { expect(v.type, expected, value.span) }
      // Bindings are how types grow without syntax nesting (`let x2 = [x1]`, …): a bound
      // on their depth keeps checking linear and every type walk shallow.
      if solver.nests(v.type, deeperThan: Checker.maxTypeDepth) {
        error("the type of this value is nested more than \(Checker.maxTypeDepth) levels deep", value.span)
        v.type = .any
      }
      return bindPattern(pattern, v, mutable: mutable)

    case .choice(let pattern, let annotation, let source, let address):
      let choice = checkChoice(source: source, address: address, pattern: pattern, span: stmt.span)
      if let annotation { expect(choice.type, resolveType(annotation), source.span) }
      guard let pattern else { return [.expr(choice)] }
      return bindPattern(pattern, choice, mutable: false)

    case .assign(let target, let op, let value):
      return checkAssignment(target, op, value, stmt.span)

    case .expr(let e):
      return [.expr(checkExpr(e))]

    case .forLoop(let pattern, let iterable, let body):
      let iter = checkExpr(iterable)
      let element = elementType(of: iter, iterable.span)
      context.scopes.append([:])
      let p = declarePattern(pattern, element, mutable: false)
      context.loopDepth += 1
      let b = checkBlock(body)
      context.loopDepth -= 1
      context.scopes.removeLast()
      return [.forLoop(p, iter, blockStatements(b), stmt.span)]

    case .whileLoop(let condition, let body):
      let c = checkExpr(condition)
      expect(c.type, .bool, condition.span, "a while condition")
      context.loopDepth += 1
      let b = checkBlock(body)
      context.loopDepth -= 1
      return [.whileLoop(c, blockStatements(b), stmt.span)]

    case .breakLoop, .continueLoop:
      if context.loopDepth == 0 {
        error("'\(stmt.kind.isBreak ? "break" : "continue")' outside a loop", stmt.span)
        return []
      }
      return [stmt.kind.isBreak ? .breakLoop : .continueLoop]

    case .returnValue(let value):
      if context.isMain {
        error("'return' outside a function", stmt.span)
        return []
      }
      let v = value.map { checkExpr($0) } ?? node(.literal(.unit), .unit, stmt.span)
      expect(v.type, context.returnType, value?.span ?? stmt.span, "the returned value")
      return [.returnValue(v, stmt.span)]

    case .function(let decl):
      error("'\(decl.isGen ? "gen" : "fn")' declarations belong at the top level; use a closure |x| … here", decl.nameSpan)
      return []
    case .typeAlias:
      error("type aliases belong at the top level", stmt.span)
      return []
    case .importModule:
      error("'import' belongs at the top level", stmt.span)
      return []
    }
  }

  /// A block's statements with its final value kept as an expression statement.
  func blockStatements(_ block: IRExpr) -> [IRStmt] {
    guard case .block(let stmts, let value) = block.kind else { return [.expr(block)] }
    return value.map { stmts + [.expr($0)] } ?? stmts
  }

  /// The type of the elements a `for` loop or comprehension walks over.
  mutating func elementType(of iter: IRExpr, _ span: Span) -> Type {
    switch solver.resolve(iter.type) {
    case .list(let e): return e
    case .tensor: return fresh(.realOrTensor)
    case .variable(let v) where solver.kinds[v] == .general:
      let e = fresh()
      expect(iter.type, .list(e), span, "a loop walks over a list")
      return e
    case let t:
      error("cannot loop over a value of type \(show(t))", span, notes: ["loops walk over lists, ranges (0..<n) and tensors"])
      return .any
    }
  }

  /// Binds a pattern: to globals at a unit's top level, to new locals elsewhere.
  mutating func bindPattern(_ pattern: Pattern, _ value: IRExpr, mutable: Bool) -> [IRStmt] {
    fixLiterals(value.type)
    if context.atTopLevel {
      if case .name(let name, _) = pattern {
        let slot = globals.define(name, type: value.type, mutable: mutable)
        return [.assignGlobal(slot, name, value)]
      }
      context.scopes.append([:])
      let p = declarePattern(pattern, value.type, mutable: mutable)
      context.scopes.removeLast()
      var out: [IRStmt] = [.bind(p, value)]
      for (slot, name) in patternSlots(p) {
        let type = context.ir.localTypes[slot]
        let g = globals.define(name, type: type, mutable: mutable)
        out.append(.assignGlobal(g, name, node(.local(slot, name), type, pattern.span)))
      }
      return out
    }
    return [.bind(declarePattern(pattern, value.type, mutable: mutable), value)]
  }

  func patternSlots(_ p: IRPattern) -> [(Int, String)] {
    switch p {
    case .slot(let s, let n): return [(s, n)]
    case .ignore: return []
    case .tuple(let ps): return ps.flatMap(patternSlots)
    }
  }

  mutating func declarePattern(_ pattern: Pattern, _ type: Type, mutable: Bool) -> IRPattern {
    switch pattern {
    case .name(let name, _):
      return .slot(context.declareLocal(name, type, mutable: mutable), name)
    case .wildcard:
      return .ignore
    case .tuple(let elements, let span):
      let types = elements.map { _ in fresh() }
      if !solver.unify(type, .tuple(types)) {
        error("cannot destructure a value of type \(show(type)) into \(elements.count) parts", span)
      }
      return .tuple(zip(elements, types).map { declarePattern($0, $1, mutable: mutable) })
    }
  }

  mutating func checkAssignment(_ target: Expr, _ op: AssignOp, _ value: Expr, _ span: Span) -> [IRStmt] {
    guard case .name(let name) = target.kind else {
      error("only variables can be assigned; lists, tuples and records are values (build a new one instead)", target.span)
      return []
    }
    var v = checkExpr(value)
    let current: IRExpr
    let store: (IRExpr) -> IRStmt
    switch lookup(name) {
    case .local(let slot, let mutable, let type):
      guard mutable else {
        error("cannot assign to '\(name)': it is bound with 'let'", target.span, notes: ["declare it with 'var' to make it mutable"])
        return []
      }
      current = node(.local(slot, name), type, target.span)
      store = { .assignLocal(slot, name, $0) }
    case .global(let entry):
      guard entry.mutable else {
        error("cannot assign to '\(name)': it is bound with 'let'", target.span, notes: ["declare it with 'var' to make it mutable"])
        return []
      }
      guard context.isMain else {
        error("cannot assign to the top-level variable '\(name)' inside a function", target.span,
              notes: ["functions read top-level variables but do not change them; return a new value instead"])
        return []
      }
      current = node(.global(entry.slot, name), entry.type, target.span)
      store = { .assignGlobal(entry.slot, name, $0) }
    case .capture:
      error("cannot assign to '\(name)': closures capture variables by value", target.span)
      return []
    case .builtin, .constant:
      error("cannot assign to the builtin '\(name)'", target.span)
      return []
    case nil:
      error("unknown name '\(name)'", target.span, notes: suggestion(for: name))
      return []
    }
    if let binary = op.binary {
      v = binaryNode(binary, current, v, span)
    }
    expect(v.type, current.type, value.span, "assigned value")
    return [store(v)]
  }
}

extension StmtKind {
  var isBreak: Bool {
    if case .breakLoop = self { return true }
    return false
  }
}

extension AssignOp {
  var binary: BinaryOp? {
    switch self {
    case .assign: return nil
    case .add: return .add
    case .sub: return .sub
    case .mul: return .mul
    case .div: return .div
    }
  }
}

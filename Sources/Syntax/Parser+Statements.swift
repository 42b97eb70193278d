extension Parser {
  mutating func parseTopLevel() -> [Stmt] {
    var statements: [Stmt] = []
    while true {
      skipStatementSeparators()
      if current.kind == .eof || deadline.hasPassed { break }
      let before = index
      do {
        statements.append(try parseStatement(topLevel: true))
        try endStatement()
      } catch {
        synchronize()
        if index == before { advance() }
      }
    }
    return statements
  }

  mutating func skipStatementSeparators() {
    while current.kind == .newline || check(.semicolon) { advance() }
  }

  /// A statement must be followed by a newline, `;`, `}` or the end of input.
  mutating func endStatement() throws {
    switch current.kind {
    case .newline, .symbol(.semicolon): advance()
    case .symbol(.rBrace), .eof: break
    default: throw fail("expected end of statement")
    }
  }

  mutating func parseBlock() throws -> Block {
    try nest()
    defer { nesting -= 1 }
    let open = try expect(.lBrace, "to open a block")
    var statements: [Stmt] = []
    while true {
      skipStatementSeparators()
      if check(.rBrace) || current.kind == .eof { break }
      let before = index
      do {
        statements.append(try parseStatement(topLevel: false))
        try endStatement()
      } catch {
        synchronize()
        if index == before { advance() }
      }
    }
    let close = try expect(.rBrace, "to close the block opened at \(open.lineColumnText)")
    return Block(statements, open.to(close))
  }

  mutating func parseStatement(topLevel: Bool) throws -> Stmt {
    let start = current.span
    statementStart = start.start
    switch current.kind {
    case .keyword(.let), .keyword(.var):
      return try parseBinding()
    case .keyword(.fn), .keyword(.gen):
      return try parseFunction()
    case .keyword(.type):
      advance()
      let (name, _) = try expectIdentifier("a type name after 'type'")
      try expect(.equal, "after the type name")
      let type = try parseType()
      return Stmt(.typeAlias(name: name, type: type), start.to(previousSpan))
    case .keyword(.import):
      advance()
      if case .string(let path) = current.kind {
        advance()
        return Stmt(.importModule(path: path, isFile: true), start.to(previousSpan))
      }
      let (name, _) = try expectIdentifier("a module name or a quoted file path after 'import'")
      return Stmt(.importModule(path: name, isFile: false), start.to(previousSpan))
    case .keyword(.for):
      advance()
      let pattern = try parsePattern()
      guard match(.in) else { throw fail("expected 'in' after the loop variable") }
      let iterable = try parseExpression()
      let body = try parseBlock()
      return Stmt(.forLoop(pattern: pattern, iterable: iterable, body: body), start.to(body.span))
    case .keyword(.while):
      advance()
      let condition = try parseExpression()
      let body = try parseBlock()
      return Stmt(.whileLoop(condition: condition, body: body), start.to(body.span))
    case .keyword(.break):
      advance()
      return Stmt(.breakLoop, start)
    case .keyword(.continue):
      advance()
      return Stmt(.continueLoop, start)
    case .keyword(.return):
      advance()
      switch current.kind {
      case .newline, .symbol(.semicolon), .symbol(.rBrace), .eof:
        return Stmt(.returnValue(nil), start)
      default:
        let value = try parseExpression()
        return Stmt(.returnValue(value), start.to(value.span))
      }
    case .symbol(.tilde):
      advance()
      let source = try parseExpression()
      var address: Expr?
      if match(.at) { address = try parseExpression() }
      return Stmt(.choice(pattern: nil, type: nil, source: source, address: address), start.to(previousSpan))
    default:
      let target = try parseExpression()
      let ops: [(Symbol, AssignOp)] = [(.equal, .assign), (.plusEq, .add), (.minusEq, .sub), (.starEq, .mul), (.slashEq, .div)]
      for (symbol, op) in ops where check(symbol) {
        advance()
        let value = try parseExpression()
        return Stmt(.assign(target: target, op: op, value: value), start.to(value.span))
      }
      return Stmt(.expr(target), target.span)
    }
  }

  mutating func parseBinding() throws -> Stmt {
    let start = current.span
    let mutable = check(.var)
    advance()
    let pattern = try parsePattern()
    var type: TypeExpr?
    if match(.colon) { type = try parseType() }
    if check(.tilde) {
      if mutable { throw fail("a random choice is bound with 'let', not 'var'") }
      advance()
      let source = try parseExpression()
      var address: Expr?
      if match(.at) { address = try parseExpression() }
      return Stmt(.choice(pattern: pattern, type: type, source: source, address: address), start.to(previousSpan))
    }
    guard match(.equal) else { throw fail("expected '=' or '~' after the bound name") }
    let value = try parseExpression()
    return Stmt(.binding(pattern: pattern, mutable: mutable, type: type, value: value), start.to(value.span))
  }

  mutating func parsePattern() throws -> Pattern {
    let start = current.span
    if case .identifier(let name) = current.kind {
      advance()
      return name == "_" ? .wildcard(start) : .name(name, start)
    }
    if match(.lParen) {
      var elements: [Pattern] = []
      while !check(.rParen) {
        elements.append(try parsePattern())
        if !match(.comma) { break }
      }
      try expect(.rParen, "to close the tuple pattern")
      return .tuple(elements, start.to(previousSpan))
    }
    throw fail("expected a name or a tuple pattern")
  }

  mutating func parseFunction() throws -> Stmt {
    let start = current.span
    let isGen = check(.gen)
    advance()
    let (name, nameSpan) = try expectIdentifier("a name after '\(isGen ? "gen" : "fn")'")
    try expect(.lParen, "to open the parameter list")
    var params: [Param] = []
    while !check(.rParen) {
      let (pname, pspan) = try expectIdentifier("a parameter name")
      guard match(.colon) else {
        throw fail("expected ':' and a type after parameter '\(pname)' (parameters of '\(isGen ? "gen" : "fn")' declarations are annotated)")
      }
      let type = try parseType()
      params.append(Param(name: pname, type: type, span: pspan.to(type.span)))
      if !match(.comma) { break }
    }
    try expect(.rParen, "to close the parameter list")
    var returnType: TypeExpr?
    if match(.arrow) { returnType = try parseType() }
    let body = try parseBlock()
    let decl = FunctionDecl(name: name, nameSpan: nameSpan, params: params, returnType: returnType, body: body, isGen: isGen)
    return Stmt(.function(decl), start.to(body.span))
  }
}

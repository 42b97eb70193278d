extension Parser {
  /// Binary operators by precedence level, loosest first.
  static let levels: [[(Symbol, BinaryOp)]] = [
    [(.orOr, .or)],
    [(.andAnd, .and)],
    [(.eqEq, .eq), (.notEq, .ne), (.less, .lt), (.lessEq, .le), (.greater, .gt), (.greaterEq, .ge)],
    [],  // ranges, handled in parseRange
    [(.plus, .add), (.minus, .sub)],
    [(.star, .mul), (.slash, .div), (.percent, .mod)],
  ]

  public mutating func parseExpression() throws -> Expr {
    try nest()
    defer { nesting -= 1 }
    return try parseLevel(0)
  }

  mutating func parseLevel(_ level: Int) throws -> Expr {
    if level == Parser.levels.count { return try parseUnary() }
    if level == 3 { return try parseRange() }
    var left = try parseLevel(level + 1)
    // Each operator of a chain makes the tree one level deeper (a + b + c is (a + b) + c).
    var chain = 0
    defer { links -= chain }
    loop: while true {
      for (symbol, op) in Parser.levels[level] where check(symbol) {
        chain += 1
        try link()
        advance()
        let right = try parseLevel(level + 1)
        left = Expr(.binary(op, left, right), left.span.to(right.span))
        if level == 2 { break loop }  // comparisons do not chain
        continue loop
      }
      break
    }
    return left
  }

  mutating func parseRange() throws -> Expr {
    let left = try parseLevel(4)
    if check(.halfOpen) || check(.closed) {
      let inclusive = check(.closed)
      advance()
      let right = try parseLevel(4)
      return Expr(.range(left, right, inclusive: inclusive), left.span.to(right.span))
    }
    return left
  }

  mutating func parseUnary() throws -> Expr {
    let start = current.span
    if check(.minus) || check(.bang) {
      let op: UnaryOp = check(.minus) ? .negate : .not
      advance()
      try nest()
      defer { nesting -= 1 }
      let operand = try parseUnary()
      return Expr(.unary(op, operand), start.to(operand.span))
    }
    let base = try parsePostfix()
    if match(.power) {
      try nest()
      defer { nesting -= 1 }
      let exponent = try parseUnary()
      return Expr(.binary(.pow, base, exponent), base.span.to(exponent.span))
    }
    return base
  }

  mutating func parsePostfix() throws -> Expr {
    var expr = try parsePrimary()
    while true {
      if check(.lParen) {
        advance()
        var args: [Argument] = []
        while !check(.rParen) {
          let start = current.span
          var label: String?
          if case .identifier(let name) = current.kind, peekKind() == .symbol(.colon) {
            label = name
            advance()
            advance()
          }
          let value = try parseExpression()
          args.append(Argument(label: label, value: value, span: start.to(value.span)))
          if !match(.comma) { break }
        }
        let close = try expect(.rParen, "to close the argument list")
        expr = Expr(.call(expr, args), expr.span.to(close))
      } else if check(.lBracket) {
        advance()
        var indices: [Expr] = []
        while !check(.rBracket) {
          indices.append(try parseExpression())
          if !match(.comma) { break }
        }
        if indices.isEmpty { throw fail("expected an index") }
        let close = try expect(.rBracket, "to close the index")
        expr = Expr(.index(expr, indices), expr.span.to(close))
      } else if check(.dot) {
        advance()
        let (name, nameSpan) = try expectIdentifier("a field name after '.'")
        expr = Expr(.field(expr, name), expr.span.to(nameSpan))
      } else {
        return expr
      }
    }
  }

  mutating func parsePrimary() throws -> Expr {
    let start = current.span
    switch current.kind {
    case .int(let v): advance(); return Expr(.int(v), start)
    case .real(let v): advance(); return Expr(.real(v), start)
    case .string(let v): advance(); return Expr(.string(v), start)
    case .keyword(.true): advance(); return Expr(.bool(true), start)
    case .keyword(.false): advance(); return Expr(.bool(false), start)
    case .identifier("choicemap") where peekKind() == .symbol(.lBrace):
      advance()
      return try parseChoicemap(start)
    case .identifier(let name):
      advance()
      return Expr(.name(name), start)
    case .keyword(.if):
      return try parseIf()
    case .keyword(.expect):
      advance()
      let body = try parseBlock()
      return Expr(.expect(body), start.to(body.span))
    case .symbol(.lParen):
      advance()
      if match(.rParen) { return Expr(.unit, start.to(previousSpan)) }
      let first = try parseExpression()
      if match(.rParen) { return first }
      if !check(.comma) { throw fail("expected ')' to match the '(' at \(start.lineColumnText)") }
      var elements = [first]
      while match(.comma) {
        if check(.rParen) { break }
        elements.append(try parseExpression())
      }
      let close = try expect(.rParen, "to close the tuple")
      return Expr(.tuple(elements), start.to(close))
    case .symbol(.lBracket):
      return try parseListOrComprehension()
    case .symbol(.lBrace):
      if case .identifier = peekKind(), peekKind(2) == .symbol(.colon) {
        return try parseRecord()
      }
      let block = try parseBlock()
      return Expr(.block(block), block.span)
    case .symbol(.pipe), .symbol(.orOr):
      return try parseClosure()
    default:
      throw fail("expected an expression")
    }
  }

  mutating func parseIf() throws -> Expr {
    let start = current.span
    advance()
    let condition = try parseExpression()
    let then = try parseBlock()
    var elseBranch: Expr?
    var lookahead = index
    while tokens[lookahead].kind == .newline { lookahead += 1 }
    if tokens[lookahead].kind == .keyword(.else) {
      index = lookahead
      advance()
      if check(.if) {
        elseBranch = try parseIf()
      } else {
        let block = try parseBlock()
        elseBranch = Expr(.block(block), block.span)
      }
    }
    return Expr(.ifElse(condition: condition, then: then, else: elseBranch), start.to(previousSpan))
  }

  mutating func parseListOrComprehension() throws -> Expr {
    let start = current.span
    advance()
    if match(.rBracket) { return Expr(.list([]), start.to(previousSpan)) }
    let first = try parseExpression()
    if match(.for) {
      let pattern = try parsePattern()
      guard match(.in) else { throw fail("expected 'in' in the list comprehension") }
      let iterable = try parseExpression()
      var condition: Expr?
      if match(.if) { condition = try parseExpression() }
      let close = try expect(.rBracket, "to close the list comprehension")
      return Expr(.comprehension(element: first, pattern: pattern, iterable: iterable, condition: condition), start.to(close))
    }
    var elements = [first]
    while match(.comma) {
      if check(.rBracket) { break }
      elements.append(try parseExpression())
    }
    let close = try expect(.rBracket, "to close the list")
    return Expr(.list(elements), start.to(close))
  }

  mutating func parseRecord() throws -> Expr {
    let start = current.span
    advance()
    var fields: [(name: String, value: Expr)] = []
    while true {
      skipNewlines()
      if check(.rBrace) { break }
      let (name, _) = try expectIdentifier("a field name")
      try expect(.colon, "after the field name")
      fields.append((name, try parseExpression()))
      skipNewlines()
      if !match(.comma) { break }
    }
    skipNewlines()
    let close = try expect(.rBrace, "to close the record")
    return Expr(.record(fields), start.to(close))
  }

  mutating func parseChoicemap(_ start: Span) throws -> Expr {
    try expect(.lBrace, "after 'choicemap'")
    var entries: [(key: Expr, value: Expr)] = []
    while true {
      skipNewlines()
      if check(.rBrace) { break }
      let key = try parseExpression()
      try expect(.colon, "after the address")
      entries.append((key, try parseExpression()))
      skipNewlines()
      if !match(.comma) { break }
    }
    skipNewlines()
    let close = try expect(.rBrace, "to close the choice map")
    return Expr(.choicemap(entries), start.to(close))
  }

  mutating func parseClosure() throws -> Expr {
    let start = current.span
    var params: [Param] = []
    if !match(.orOr) {
      advance()
      while !check(.pipe) {
        let (name, span) = try expectIdentifier("a parameter name")
        var type: TypeExpr?
        if match(.colon) { type = try parseType() }
        params.append(Param(name: name, type: type, span: span.to(previousSpan)))
        if !match(.comma) { break }
      }
      try expect(.pipe, "to close the closure's parameters")
    }
    let body = try parseExpression()
    return Expr(.closure(params: params, body: body), start.to(body.span))
  }
}

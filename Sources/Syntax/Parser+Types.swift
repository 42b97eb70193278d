extension Parser {
  /// Parses a type: `Real`, `List[T]`, `(A, B)`, `{mu: Real}`, `fn(A) -> R`, `(A, B) -> R`.
  public mutating func parseType() throws -> TypeExpr {
    try nest()  // types nest too (a host's `define` type text has no other bound)
    defer { nesting -= 1 }
    let start = current.span
    var type: TypeExpr
    if match(.fn) {
      try expect(.lParen, "after 'fn' in a function type")
      var params: [TypeExpr] = []
      while !check(.rParen) {
        params.append(try parseType())
        if !match(.comma) { break }
      }
      try expect(.rParen, "to close the parameter types")
      try expect(.arrow, "and a result type in the function type")
      let result = try parseType()
      return .function(params, result, start.to(result.span))
    } else if match(.lParen) {
      var elements: [TypeExpr] = []
      while !check(.rParen) {
        elements.append(try parseType())
        if !match(.comma) { break }
      }
      try expect(.rParen, "to close the tuple type")
      type = elements.count == 1 && !check(.arrow) ? elements[0] : .tuple(elements, start.to(previousSpan))
    } else if match(.lBrace) {
      var fields: [(name: String, type: TypeExpr)] = []
      while true {
        skipNewlines()
        if check(.rBrace) { break }
        let (name, _) = try expectIdentifier("a field name in the record type")
        try expect(.colon, "after the field name")
        fields.append((name, try parseType()))
        skipNewlines()
        if !match(.comma) { break }
      }
      skipNewlines()
      try expect(.rBrace, "to close the record type")
      type = .record(fields, start.to(previousSpan))
    } else {
      let (name, nameSpan) = try expectIdentifier("a type")
      var args: [TypeExpr] = []
      if match(.lBracket) {
        while !check(.rBracket) {
          args.append(try parseType())
          if !match(.comma) { break }
        }
        try expect(.rBracket, "to close the type arguments")
      }
      type = .named(name, args, nameSpan.to(previousSpan))
    }
    if match(.arrow) {
      let result = try parseType()
      let params: [TypeExpr]
      if case .tuple(let elements, _) = type { params = elements } else { params = [type] }
      return .function(params, result, start.to(result.span))
    }
    return type
  }
}

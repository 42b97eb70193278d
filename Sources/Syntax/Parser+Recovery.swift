extension Parser {
  /// Skips tokens until the start of the next statement: past a newline or `;` at the
  /// current nesting level, or up to a closing `}` that ends the enclosing block.
  mutating func synchronize() {
    var depth = 0
    while current.kind != .eof {
      switch current.kind {
      case .symbol(.lBrace), .symbol(.lParen), .symbol(.lBracket):
        depth += 1
      case .symbol(.rBrace) where depth == 0:
        return  // the end of the enclosing block
      case .symbol(.rParen) where depth == 0, .symbol(.rBracket) where depth == 0:
        break  // a stray closer: skip it
      case .symbol(.rBrace), .symbol(.rParen), .symbol(.rBracket):
        depth -= 1
        if depth == 0 && current.kind == .symbol(.rBrace) {
          advance()
          if current.kind == .newline || current.kind == .symbol(.semicolon) { advance() }
          return
        }
      case .newline, .symbol(.semicolon):
        if depth == 0 {
          advance()
          return
        }
      case .keyword(.fn), .keyword(.gen), .keyword(.type), .keyword(.import):
        if depth == 0 { return }
      default:
        break
      }
      advance()
    }
  }
}

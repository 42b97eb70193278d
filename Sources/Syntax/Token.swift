/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
  case identifier(String)
  case int(Int)
  case real(Double)
  case string(String)
  case keyword(Keyword)
  case symbol(Symbol)
  case newline
  case eof
}

public enum Keyword: String, CaseIterable, Sendable {
  case `let`, `var`, `fn`, gen, type, `import`, `if`, `else`, `for`, `in`, `while`, `break`,
       `continue`, `return`, `true`, `false`, expect
}

/// Punctuation and operators, longest first where they share a prefix.
public enum Symbol: String, CaseIterable, Sendable {
  case halfOpen = "..<", closed = "...", power = "**", arrow = "->"
  case orOr = "||", andAnd = "&&", eqEq = "==", notEq = "!=", lessEq = "<=", greaterEq = ">="
  case plusEq = "+=", minusEq = "-=", starEq = "*=", slashEq = "/="
  case lParen = "(", rParen = ")", lBracket = "[", rBracket = "]", lBrace = "{", rBrace = "}"
  case comma = ",", colon = ":", semicolon = ";", dot = ".", tilde = "~", at = "@"
  case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", bang = "!"
  case less = "<", greater = ">", equal = "=", pipe = "|"

  /// Symbols after which a newline does not end a statement.
  var continuesLine: Bool {
    switch self {
    case .rParen, .rBracket, .rBrace, .semicolon, .dot, .bang, .pipe: return false
    default: return true
    }
  }
}

public struct Token: Sendable {
  public var kind: TokenKind
  public var span: Span
  public init(_ kind: TokenKind, _ span: Span) {
    self.kind = kind
    self.span = span
  }
}

extension TokenKind: CustomStringConvertible {
  public var description: String {
    switch self {
    case .identifier(let s): return "identifier '\(s)'"
    case .int(let i): return "'\(i)'"
    case .real(let r): return "'\(r)'"
    case .string: return "string literal"
    case .keyword(let k): return "'\(k.rawValue)'"
    case .symbol(let s): return "'\(s.rawValue)'"
    case .newline: return "end of line"
    case .eof: return "end of file"
    }
  }
}

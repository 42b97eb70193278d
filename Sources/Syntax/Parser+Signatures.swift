/// A builtin's declared signature, parsed from `fn name(label: Type = literal, …) -> R`
/// (`Type...` marks a repeating last parameter).
public struct ParsedSignature {
  public struct Parameter {
    public var label: String
    public var type: TypeExpr
    public var defaultValue: LiteralValue?
  }
  public var name: String
  public var parameters: [Parameter]
  public var result: TypeExpr
  public var variadic: Bool
}

/// A literal default value in a signature.
public typealias LiteralValue = IRLiteralSyntax

public enum IRLiteralSyntax: Sendable {
  case int(Int), real(Double), bool(Bool), string(String)
}

extension Parser {
  public static func parseSignature(_ file: SourceFile) -> ParsedSignature? {
    var p = Parser(file: file)
    return try? p.signature()
  }

  mutating func signature() throws -> ParsedSignature {
    guard match(.fn) else { throw fail("expected 'fn'") }
    let (name, _) = try expectIdentifier("a name")
    try expect(.lParen, "")
    var params: [ParsedSignature.Parameter] = []
    var variadic = false
    while !check(.rParen) {
      let (label, _) = try expectIdentifier("a label")
      try expect(.colon, "")
      let type = try parseType()
      if match(.closed) { variadic = true }
      var value: LiteralValue?
      if match(.equal) {
        switch current.kind {
        case .int(let i): value = .int(i)
        case .real(let r): value = .real(r)
        case .keyword(.true): value = .bool(true)
        case .keyword(.false): value = .bool(false)
        case .string(let s): value = .string(s)
        default: throw fail("expected a literal")
        }
        advance()
      }
      params.append(.init(label: label, type: type, defaultValue: value))
      if !match(.comma) { break }
    }
    try expect(.rParen, "")
    try expect(.arrow, "")
    let result = try parseType()
    return ParsedSignature(name: name, parameters: params, result: result, variadic: variadic)
  }
}

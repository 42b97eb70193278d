/// Recursive-descent parser producing the AST. Errors are collected; after one, the
/// parser skips to the next statement (`synchronize`), so each mistake gives one message.
/// The grammar is written out in `grammar/ppl.ebnf`.
public struct Parser {
  struct Failure: Error {}

  var tokens: [Token]
  var index = 0
  let file: SourceFile
  /// Where the statement being parsed starts: one message per statement.
  var statementStart = 0
  /// The current nesting depth and operator-chain length (see `nest` and `link`).
  var nesting = 0
  var links = 0
  public private(set) var diagnostics: [Diagnostic] = []
  /// True when an error was reported at the end of input (the REPL reads another line).
  public private(set) var reachedEndUnexpectedly = false

  let deadline: Deadline

  public init(file: SourceFile, deadline: Deadline = .none) {
    let lexer = Lexer.lex(file, deadline: deadline)
    self.deadline = deadline
    self.tokens = lexer.tokens
    self.file = file
    self.diagnostics = lexer.diagnostics
    self.reachedEndUnexpectedly = lexer.endsInsideComment
  }

  /// Parses a whole file. Diagnostics are returned rather than thrown so that callers
  /// can report them all.
  /// Past `deadline` it stops early, with what it has (the caller reports the limit).
  public static func parse(_ file: SourceFile, deadline: Deadline = .none) -> (program: Program, diagnostics: [Diagnostic], incomplete: Bool) {
    var parser = Parser(file: file, deadline: deadline)
    let statements = parser.parseTopLevel()
    return (Program(statements: statements, file: file), parser.diagnostics, parser.reachedEndUnexpectedly)
  }

  // MARK: Token helpers

  var current: Token { tokens[index] }
  var previousSpan: Span { index > 0 ? tokens[index - 1].span : current.span }

  func peekKind(_ k: Int = 1) -> TokenKind {
    tokens[min(index + k, tokens.count - 1)].kind
  }

  func check(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }
  func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

  mutating func advance() {
    if index < tokens.count - 1 { index += 1 }
  }

  mutating func match(_ symbol: Symbol) -> Bool {
    if check(symbol) { advance(); return true }
    return false
  }

  mutating func match(_ keyword: Keyword) -> Bool {
    if check(keyword) { advance(); return true }
    return false
  }

  mutating func skipNewlines() {
    while current.kind == .newline { advance() }
  }

  @discardableResult
  mutating func expect(_ symbol: Symbol, _ context: String) throws -> Span {
    if check(symbol) {
      let s = current.span
      advance()
      return s
    }
    throw fail("expected '\(symbol.rawValue)' \(context)")
  }

  mutating func expectIdentifier(_ context: String) throws -> (String, Span) {
    if case .identifier(let name) = current.kind {
      let s = current.span
      advance()
      return (name, s)
    }
    throw fail("expected \(context)")
  }

  /// How deeply parentheses, brackets, unary operators and blocks may nest: the parser
  /// recurses once per level, so deeper input is refused before it can exhaust the stack.
  static let maxNesting = 256
  /// How deep an expression's tree may be, counting each operator of a chain
  /// (`a + b + c` is `(a + b) + c`): the checker and compiler recurse over the tree.
  static let maxDepth = 1000

  /// Enters one level of nesting; `nesting -= 1` when leaving it.
  mutating func nest() throws {
    nesting += 1
    if nesting > Parser.maxNesting { throw tooDeep(Parser.maxNesting) }
  }

  /// Adds an operator to a chain; `links -= 1` when the chain is done.
  mutating func link() throws {
    links += 1
    if nesting + links > Parser.maxDepth { throw tooDeep(Parser.maxDepth) }
  }

  mutating func tooDeep(_ limit: Int) -> Failure {
    if !diagnostics.contains(where: { $0.span.start >= statementStart }) {
      diagnostics.append(.error("this is nested too deeply (more than \(limit) levels); split it with let bindings", at: current.span))
    }
    return Failure()
  }

  /// Records an error at the current token and returns the error to throw.
  mutating func fail(_ message: String) -> Failure {
    let found = current.kind
    if found == .eof { reachedEndUnexpectedly = true }
    let foundText: String
    switch found {
    case .eof, .newline: foundText = found.description
    default: foundText = file.slice(current.span)
    }
    let text = found == .eof || found == .newline ? "\(message), found \(foundText)" : "\(message), found '\(foundText)'"
    if !diagnostics.contains(where: { $0.span.start >= statementStart }) {
      diagnostics.append(.error(text, at: current.span))
    }
    return Failure()
  }
}

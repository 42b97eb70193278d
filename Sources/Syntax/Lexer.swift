/// Turns source text into tokens. Newlines become tokens only where they can end a
/// statement: not inside `(`/`[`, and not after an operator or comma.
public struct Lexer {
  private let file: SourceFile
  private let bytes: [UInt8]
  private var pos = 0
  private(set) var tokens: [Token] = []
  private var brackets: [UInt8] = []
  public private(set) var diagnostics: [Diagnostic] = []
  /// True when the input ends inside a block comment (the REPL reads on).
  public private(set) var endsInsideComment = false
  private let deadline: Deadline

  public init(file: SourceFile, deadline: Deadline = .none) {
    self.file = file
    self.bytes = file.bytes
    self.deadline = deadline
  }

  /// Lexes the whole file; the last token is always `.eof`.
  public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(file: file)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
  }

  /// Lexes the whole file and returns the lexer, for its tokens and flags.
  static func lex(_ file: SourceFile, deadline: Deadline) -> Lexer {
    var lexer = Lexer(file: file, deadline: deadline)
    lexer.run()
    return lexer
  }

  private func span(_ start: Int) -> Span { Span(file: file, start: start, end: pos) }
  private func peek(_ k: Int = 0) -> UInt8 { pos + k < bytes.count ? bytes[pos + k] : 0 }

  private mutating func error(_ message: String, _ start: Int) {
    diagnostics.append(.error(message, at: Span(file: file, start: start, end: max(pos, start + 1))))
  }

  private mutating func run() {
    var pieces = 0
    while true {
      skipSpaceAndComments()
      guard pos < bytes.count else { break }
      pieces += 1
      if pieces & 4095 == 0 && deadline.hasPassed { break }  // the caller reports the limit
      let start = pos
      let c = bytes[pos]
      if c == UInt8(ascii: "\n") {
        pos += 1
        if newlineIsSignificant { tokens.append(Token(.newline, span(start))) }
      } else if isDigit(c) {
        lexNumber()
      } else if c == UInt8(ascii: "\"") {
        lexString()
      } else if isIdentifierStart() {
        lexIdentifier()
      } else {
        lexSymbol()
      }
    }
    tokens.append(Token(.eof, Span(file: file, start: bytes.count, end: bytes.count)))
  }

  private var newlineIsSignificant: Bool {
    if let open = brackets.last, open != UInt8(ascii: "{") { return false }
    switch tokens.last?.kind {
    case nil, .newline?: return false
    case .symbol(let s)?: return !s.continuesLine
    default: return true
    }
  }

  private mutating func skipSpaceAndComments() {
    while pos < bytes.count {
      let c = bytes[pos]
      if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
        pos += 1
      } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
        while pos < bytes.count && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
      } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
        let start = pos
        pos += 2
        var depth = 1
        while pos < bytes.count && depth > 0 {
          if bytes[pos] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") { depth += 1; pos += 2 }
          else if bytes[pos] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") { depth -= 1; pos += 2 }
          else { pos += 1 }
        }
        if depth > 0 {
          pos = start + 2
          error("unterminated block comment", start)
          endsInsideComment = true
          pos = bytes.count
        }
      } else {
        return
      }
    }
  }

  private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

  private mutating func lexNumber() {
    let start = pos
    var isReal = false
    while isDigit(peek()) || peek() == UInt8(ascii: "_") { pos += 1 }
    if peek() == UInt8(ascii: ".") && isDigit(peek(1)) {
      isReal = true
      pos += 1
      while isDigit(peek()) { pos += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      var k = 1
      if peek(k) == UInt8(ascii: "+") || peek(k) == UInt8(ascii: "-") { k += 1 }
      if isDigit(peek(k)) {
        isReal = true
        pos += k
        while isDigit(peek()) { pos += 1 }
      }
    }
    let text = String(decoding: bytes[start..<pos], as: UTF8.self).filter { $0 != "_" }
    if isReal {
      tokens.append(Token(.real(Double(text) ?? .nan), span(start)))
    } else if let value = Int(text) {
      tokens.append(Token(.int(value), span(start)))
    } else {
      error("integer literal '\(text)' does not fit in 64 bits", start)
      tokens.append(Token(.int(0), span(start)))
    }
  }

  private mutating func lexString() {
    let start = pos
    pos += 1
    var scalars = String.UnicodeScalarView()
    var chunkStart = pos
    func flush(_ lexer: Lexer, _ upTo: Int) {
      scalars.append(contentsOf: String(decoding: lexer.bytes[chunkStart..<upTo], as: UTF8.self).unicodeScalars)
    }
    while true {
      guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else {
        error("unterminated string literal", start)
        break
      }
      let c = bytes[pos]
      if c == UInt8(ascii: "\"") {
        flush(self, pos)
        pos += 1
        break
      }
      if c == UInt8(ascii: "\\") {
        flush(self, pos)
        let escStart = pos
        pos += 1
        switch peek() {
        case UInt8(ascii: "n"): scalars.append("\n"); pos += 1
        case UInt8(ascii: "t"): scalars.append("\t"); pos += 1
        case UInt8(ascii: "\""): scalars.append("\""); pos += 1
        case UInt8(ascii: "\\"): scalars.append("\\"); pos += 1
        case UInt8(ascii: "u") where peek(1) == UInt8(ascii: "{"):
          pos += 2
          let hexStart = pos
          while pos < bytes.count && bytes[pos] != UInt8(ascii: "}") && bytes[pos] != UInt8(ascii: "\"") { pos += 1 }
          let hex = String(decoding: bytes[hexStart..<pos], as: UTF8.self)
          if peek() == UInt8(ascii: "}") { pos += 1 }
          if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) {
            scalars.append(s)
          } else {
            error("invalid unicode escape '\\u{\(hex)}'", escStart)
          }
        default:
          pos += 1
          error("unknown escape sequence in string literal", escStart)
        }
        chunkStart = pos
        continue
      }
      pos += 1
    }
    tokens.append(Token(.string(String(scalars)), span(start)))
  }

  private func scalar(at p: Int) -> (Unicode.Scalar, Int)? {
    guard p < bytes.count else { return nil }
    let b0 = bytes[p]
    let length = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
    guard p + length <= bytes.count else { return nil }
    let s = String(decoding: bytes[p..<p + length], as: UTF8.self).unicodeScalars
    return s.first.map { ($0, length) }
  }

  private func isIdentifierStart() -> Bool {
    guard let (s, _) = scalar(at: pos) else { return false }
    return s == "_" || s.properties.isAlphabetic
  }

  private mutating func lexIdentifier() {
    let start = pos
    while let (s, n) = scalar(at: pos), s == "_" || s.properties.isAlphabetic || s.properties.numericType != nil {
      pos += n
    }
    let name = String(decoding: bytes[start..<pos], as: UTF8.self)
    if let k = Keyword(rawValue: name) {
      tokens.append(Token(.keyword(k), span(start)))
    } else {
      tokens.append(Token(.identifier(name), span(start)))
    }
  }

  private mutating func lexSymbol() {
    let start = pos
    for symbol in Symbol.allCases {
      let raw = Array(symbol.rawValue.utf8)
      if pos + raw.count <= bytes.count && Array(bytes[pos..<pos + raw.count]) == raw {
        pos += raw.count
        track(symbol)
        tokens.append(Token(.symbol(symbol), span(start)))
        return
      }
    }
    let n = scalar(at: pos)?.1 ?? 1
    pos += n
    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
    if let c = text.unicodeScalars.first, c.value < 0x20 || c.value == 0x7F {
      error("unexpected control character U+\(String(c.value, radix: 16, uppercase: true).leftPadded(4))", start)
    } else {
      error("unexpected character '\(text)'", start)
    }
  }

  private mutating func track(_ symbol: Symbol) {
    switch symbol {
    case .lParen: brackets.append(UInt8(ascii: "("))
    case .lBracket: brackets.append(UInt8(ascii: "["))
    case .lBrace: brackets.append(UInt8(ascii: "{"))
    case .rParen, .rBracket, .rBrace: if !brackets.isEmpty { brackets.removeLast() }
    default: break
    }
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

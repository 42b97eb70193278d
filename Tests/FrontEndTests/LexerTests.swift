import Syntax
import XCTest

final class LexerTests: XCTestCase {
  func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind)
  }

  func testLiteralsAndUnicodeIdentifiers() {
    XCTAssertEqual(kinds("θ σ2 _x 42 4.2 1e-3 2.5E+4 1_000"), [
      .identifier("θ"), .identifier("σ2"), .identifier("_x"), .int(42), .real(4.2), .real(1e-3), .real(2.5e4), .int(1000), .eof,
    ])
    XCTAssertEqual(kinds(#""a\n\t\"\\\u{3B8}""#), [.string("a\n\t\"\\θ"), .eof])
  }

  func testRangesAreNotReals() {
    XCTAssertEqual(kinds("0..<10 1...3"), [.int(0), .symbol(.halfOpen), .int(10), .int(1), .symbol(.closed), .int(3), .eof])
  }

  func testNewlinesEndStatementsOnlyWhereTheyCan() {
    XCTAssertEqual(kinds("a\nb"), [.identifier("a"), .newline, .identifier("b"), .eof])
    XCTAssertEqual(kinds("f(a,\nb)"), [.identifier("f"), .symbol(.lParen), .identifier("a"), .symbol(.comma), .identifier("b"), .symbol(.rParen), .eof])
    XCTAssertEqual(kinds("a +\nb"), [.identifier("a"), .symbol(.plus), .identifier("b"), .eof])
    XCTAssertEqual(kinds("[a\n]"), [.symbol(.lBracket), .identifier("a"), .symbol(.rBracket), .eof])
    // Inside a block nested in parentheses, newlines separate statements again.
    XCTAssertEqual(kinds("(|x| {\na\nb})").filter { $0 == .newline }.count, 1)
  }

  func testNestedCommentsAreSkipped() {
    XCTAssertEqual(kinds("a /* x /* y */ z */ b // c"), [.identifier("a"), .identifier("b"), .eof])
  }

  func testSpansGiveLineAndColumn() {
    let file = SourceFile(name: "t", text: "let θ = 1\n  x")
    let tokens = Lexer.tokenize(file).tokens
    let x = tokens.first { $0.kind == .identifier("x") }
    XCTAssertEqual(x.map { file.location(of: $0.span.start).line }, 2)
    XCTAssertEqual(x.map { file.location(of: $0.span.start).column }, 3)
    let one = tokens.first { $0.kind == .int(1) }
    XCTAssertEqual(one.map { file.location(of: $0.span.start).column }, 9)  // θ is one column
  }
}

import Foundation
import Syntax
import XCTest

/// Keeps `grammar/ppl.ebnf` in step with the lexer and parser.
final class GrammarTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  func testEveryKeywordAndSymbolIsInTheGrammar() throws {
    let grammar = try String(contentsOf: GrammarTests.root.appendingPathComponent("grammar/ppl.ebnf"), encoding: .utf8)
    for k in Keyword.allCases {
      XCTAssertTrue(grammar.contains("\"\(k.rawValue)\""), "keyword '\(k.rawValue)' missing from the grammar")
    }
    for s in Symbol.allCases {
      XCTAssertTrue(grammar.contains("\"\(s.rawValue)\""), "symbol '\(s.rawValue)' missing from the grammar")
    }
  }

  /// Every example, stdlib module and golden test (but the syntax-error cases) parses.
  func testEveryProgramParses() throws {
    var files: [URL] = []
    for dir in ["examples", "stdlib", "Tests/golden", "Tests/ir", "Tests/code", "bench/programs"] {
      let e = FileManager.default.enumerator(at: GrammarTests.root.appendingPathComponent(dir), includingPropertiesForKeys: nil)
      files += (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "ppl" && !$0.path.contains("/errors/syntax/") }
    }
    XCTAssertGreaterThan(files.count, 50)
    for url in files {
      let file = SourceFile(name: url.lastPathComponent, text: try String(contentsOf: url, encoding: .utf8))
      let (_, diagnostics, _) = Parser.parse(file)
      XCTAssertEqual(diagnostics.map(\.description), [], url.path)
    }
  }

  /// The syntax-error cases do not parse.
  func testSyntaxErrorCasesFail() throws {
    let dir = GrammarTests.root.appendingPathComponent("Tests/golden/errors/syntax")
    for url in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) {
      let file = SourceFile(name: url.lastPathComponent, text: try String(contentsOf: url, encoding: .utf8))
      XCTAssertFalse(Parser.parse(file).diagnostics.isEmpty, url.lastPathComponent)
    }
  }
}

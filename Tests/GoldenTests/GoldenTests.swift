import Foundation
import PPL
import XCTest

/// Runs every `Tests/golden/**/*.ppl` file and compares what it does with the
/// expectations written in its comments:
///
/// - `// expect: TEXT` — the next line of standard output;
/// - `// error: LINE:COL: MESSAGE` — a syntax or type error (all must be listed);
/// - `// runtime error: LINE:COL: MESSAGE` — the runtime error that ends the run;
/// - `// seed: N` — the random seed (default 0).
final class GoldenTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("golden")

  static func cases() -> [URL] {
    let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    return (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "ppl" }.sorted { $0.path < $1.path }
  }

  struct Expectations {
    var output: [String] = []
    var errors: [String] = []
    var runtimeError: String?
    var seed: UInt64 = 0
  }

  static func expectations(in source: String) -> Expectations {
    var e = Expectations()
    for line in source.components(separatedBy: "\n") {
      guard let range = line.range(of: "// ") else { continue }
      let comment = String(line[range.upperBound...])
      if comment.hasPrefix("expect: ") { e.output.append(String(comment.dropFirst("expect: ".count))) }
      if comment == "expect:" { e.output.append("") }
      if comment.hasPrefix("error: ") { e.errors.append(String(comment.dropFirst("error: ".count))) }
      if comment.hasPrefix("runtime error: ") { e.runtimeError = String(comment.dropFirst("runtime error: ".count)) }
      if comment.hasPrefix("seed: ") { e.seed = UInt64(comment.dropFirst("seed: ".count)) ?? 0 }
    }
    return e
  }

  func testGoldenFiles() throws {
    let cases = GoldenTests.cases()
    XCTAssertGreaterThan(cases.count, 60, "golden cases missing")
    var errorCases = 0
    for url in cases {
      let source = try String(contentsOf: url, encoding: .utf8)
      let name = url.path.replacingOccurrences(of: GoldenTests.root.path + "/", with: "")
      let expected = GoldenTests.expectations(in: source)
      if !expected.errors.isEmpty || expected.runtimeError != nil { errorCases += 1 }
      var output = ""
      let ppl = Interpreter(options: .init(seed: expected.seed, output: { output += $0 }))
      var errors: [String] = []
      var runtimeError: String?
      do {
        try ppl.load(source: source, name: url.path)
      } catch let e as PPLError {
        let rendered = e.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        if e.kind == .runtime { runtimeError = rendered.first } else { errors = rendered }
      }
      var lines = output.components(separatedBy: "\n")
      if lines.last == "" { lines.removeLast() }
      XCTAssertEqual(lines, expected.output, "\(name): standard output")
      XCTAssertEqual(errors, expected.errors, "\(name): compile errors")
      XCTAssertEqual(runtimeError, expected.runtimeError, "\(name): runtime error")
    }
    XCTAssertGreaterThanOrEqual(errorCases, 40, "at least 40 error cases are pinned")
  }
}

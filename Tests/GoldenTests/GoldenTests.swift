import Foundation
import PPL
import XCTest

/// Runs each `Tests/golden/**/*.ppl` file as its own test case (`test_DIR_NAME`) and
/// compares what it does with the expectations written in its comments:
///
/// - `// expect: TEXT` — the next line of standard output;
/// - `// error: LINE:COL: MESSAGE` — a syntax or type error (all must be listed);
/// - `// runtime error: LINE:COL: MESSAGE` — the runtime error that ends the run;
/// - `// warning: MESSAGE` — the next warning (all must be listed);
/// - `// seed: N` — the random seed (default 0).
final class GoldenTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("golden")

  static func cases() -> [URL] {
    let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    return (e?.allObjects ?? []).compactMap { $0 as? URL }.filter { $0.pathExtension == "ppl" }.sorted { $0.path < $1.path }
  }

  struct Expectations {
    var output: [String] = []
    var errors: [String] = []
    var runtimeError: String?
    var warnings: [String] = []
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
      if comment.hasPrefix("warning: ") { e.warnings.append(String(comment.dropFirst("warning: ".count))) }
      if comment.hasPrefix("runtime error: ") { e.runtimeError = String(comment.dropFirst("runtime error: ".count)) }
      if comment.hasPrefix("seed: ") { e.seed = UInt64(comment.dropFirst("seed: ".count)) ?? 0 }
    }
    return e
  }

  /// Runs one golden file (a path under `Tests/golden`) and checks its expectations.
  /// The ListGoldenCases plugin generates one test method per file calling this.
  func runGolden(_ relative: String) throws {
    let url = GoldenTests.root.appendingPathComponent(relative)
    let source = try String(contentsOf: url, encoding: .utf8)
    let expected = GoldenTests.expectations(in: source)
    var output = ""
    var warnings: [String] = []
    let ppl = Interpreter(options: .init(seed: expected.seed, output: { output += $0 }, warnings: { warnings.append($0) }))
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
    XCTAssertEqual(lines, expected.output, "\(relative): standard output")
    XCTAssertEqual(errors, expected.errors, "\(relative): compile errors")
    XCTAssertEqual(runtimeError, expected.runtimeError, "\(relative): runtime error")
    XCTAssertEqual(warnings, expected.warnings, "\(relative): warnings")
  }

  /// Every golden file has its generated test, and the error cases stay pinned.
  func testEveryGoldenFileIsACase() throws {
    let cases = GoldenTests.cases()
    XCTAssertGreaterThan(cases.count, 60, "golden cases missing")
    XCTAssertEqual(cases.count, GoldenTests.listedCases, "golden files and generated test methods differ")
    let errorCases = try cases.filter { url in
      let expected = GoldenTests.expectations(in: try String(contentsOf: url, encoding: .utf8))
      return !expected.errors.isEmpty || expected.runtimeError != nil
    }
    XCTAssertGreaterThanOrEqual(errorCases.count, 40, "at least 40 error cases are pinned")
  }
}

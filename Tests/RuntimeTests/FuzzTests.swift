import Distributions
import Foundation
import PPL
import XCTest

/// Mutation fuzzing of the whole pipeline: programs from the golden tests and examples
/// are mutated at random (deleted, duplicated or swapped spans, inserted tokens, changed
/// numbers) and run in a sandboxed interpreter. Every mutant must end normally or with
/// a PPL error — a crash fails the test run. Seeded, so a failure reproduces.
/// `PPL_FUZZ_ITERATIONS` sets the count (default 1500, about 10 s); `PPL_FUZZ_LAST=file`
/// keeps the mutant being run in that file, so a crash leaves its input behind.
final class FuzzTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func corpus() -> [String] {
    var files: [URL] = []
    for dir in ["Tests/golden", "examples", "stdlib"] {
      let e = FileManager.default.enumerator(at: root.appendingPathComponent(dir), includingPropertiesForKeys: nil)
      files += (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "ppl" }
    }
    return files.sorted { $0.path < $1.path }.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
  }

  static let vocabulary = [
    "let", "var", "fn", "gen", "if", "else", "for", "in", "while", "return", "break", "~", "@", "(", ")", "[", "]",
    "{", "}", ",", ";", ":", "->", "..<", "...", "+", "-", "*", "/", "%", "**", "==", "<", "&&", "||", "!", "|x|",
    "0", "1", "-1", "2.5", "1e308", "-1e308", "nan", "inf", "\"s\"", "true", "()", "x", "t", "tensor([1.0, 2.0])",
    "normal(0, 1)", "observe(normal(0, 1), 1.0)", "factor(-inf)", "9223372036854775807", "zeros([1000000, 1000000])",
    "\n", "  ", "/*", "*/", "//", "choicemap {}", "select_all()", "grad(|p: Real| p * p, 1.0)",
  ]

  func mutate(_ source: String, _ rng: inout RandomGenerator) -> String {
    var chars = Array(source)
    let edits = 1 + Int(rng.uniform() * 3)
    for _ in 0..<edits where !chars.isEmpty {
      let i = Int(rng.uniform() * Double(chars.count))
      let j = min(chars.count, i + 1 + Int(rng.uniform() * 12))
      switch Int(rng.uniform() * 6) {
      case 0: chars.removeSubrange(i..<j)
      case 1: chars.insert(contentsOf: chars[i..<j], at: j)
      case 2: chars.insert(contentsOf: " " + FuzzTests.vocabulary[Int(rng.uniform() * Double(FuzzTests.vocabulary.count))] + " ", at: i)
      case 3:
        let k = Int(rng.uniform() * Double(chars.count))
        chars.swapAt(i, k)
      case 4:
        if let d = chars[i...].firstIndex(where: { $0.isNumber }) {
          chars.replaceSubrange(d...d, with: Array(["0", "-1", "99999", "1e300", "0.0"][Int(rng.uniform() * 5)]))
        }
      default:
        // Swap two lines.
        var lines = String(chars).components(separatedBy: "\n")
        if lines.count > 2 {
          let a = Int(rng.uniform() * Double(lines.count)), b = Int(rng.uniform() * Double(lines.count))
          lines.swapAt(a, b)
          chars = Array(lines.joined(separator: "\n"))
        }
      }
    }
    return String(chars)
  }

  func testMutantsNeverCrash() {
    let corpus = FuzzTests.corpus()
    XCTAssertGreaterThan(corpus.count, 80)
    let iterations = Int(ProcessInfo.processInfo.environment["PPL_FUZZ_ITERATIONS"] ?? "") ?? 1500
    var rng = RandomGenerator(seed: 2026)
    var outcomes = FuzzOutcomes()
    let deadline = Date().addingTimeInterval(Double(iterations) / 50)
    for n in 0..<iterations {
      let source = mutate(corpus[Int(rng.uniform() * Double(corpus.count))], &rng)
      if let path = ProcessInfo.processInfo.environment["PPL_FUZZ_LAST"] {
        try? source.write(toFile: path, atomically: false, encoding: .utf8)  // what a crash leaves behind
      }
      let ppl = Interpreter(options: .init(seed: UInt64(n), allowFileIO: false, maxSteps: 100_000, maxDepth: 300, output: { _ in }))
      outcomes.load(source, name: "mutant\(n).ppl", into: ppl, "mutant \(n)\n\(source)")
      if Date() > deadline { break }
    }
    // Most mutants are broken programs; some still run. Both are fine; a crash is not.
    XCTAssertGreaterThan(outcomes.ran + outcomes.failed, 100)
    print("fuzz: \(outcomes.ran + outcomes.failed) mutants, \(outcomes.ran) ran, \(outcomes.failed) reported errors")
  }
}

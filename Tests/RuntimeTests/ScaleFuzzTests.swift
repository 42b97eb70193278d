import Distributions
import Foundation
import PPL
import XCTest

/// Fuzzing by scale: programs from templates that each grow one dimension the red-team
/// run found weak — bindings whose types nest, chains of closures and of mixtures (deep
/// value graphs, freed deep), many diagnostics, huge tensors and products, long
/// enumerations and populations, constraints of every wrong type — at sizes drawn from
/// 10 to 10^6. Each runs in a sandboxed interpreter under a 0.5 s time limit and a memory
/// limit of 1 GB over the heap; it must end normally or with a PPL error, within the
/// time limit plus slack (limits hold inside long builtins, parsing and checking).
/// `PPL_SCALE_FUZZ_ITERATIONS` sets the count (default 16, about 10 s). Seeded.
final class ScaleFuzzTests: XCTestCase {
  static let constraintValues = ["true", "1", "2.5", "\"s\"", "(1, 2)", "[1.0]", "tensor([1.0])", "-1", "1e300"]
  static let families = [("normal(0.0, 1.0)", "Real"), ("poisson(3.0)", "Int"), ("bernoulli(0.5)", "Bool"),
                         ("categorical([0.5, 0.5])", "Int"), ("beta(1.0, 1.0)", "Real")]

  /// One program of size about `n` from template `k`.
  static func program(_ k: Int, _ n: Int, _ rng: inout RandomGenerator) -> String {
    switch k {
    case 0:
      return "let x0 = 1\n" + (0..<n).map { "let x\($0 + 1) = [x\($0)]" }.joined(separator: "\n")
    case 1:
      return "var f = |x: Int| x\nfor i in 0..<\(n) {\n  let g = f\n  f = |x: Int| g(x) + 1\n}\nprint(f(0))"
    case 2:
      return "var d = normal(0.0, 1.0)\nfor i in 0..<\(n) {\n  d = mixture([0.5, 0.5], [d, normal(1.0, 1.0)])\n}\nprint(logpdf(d, 0.0))"
    case 3:
      return (0..<n).map { "let y\($0): Int = true" }.joined(separator: "\n")
    case 4:
      let side = min(n, 1 << 14)
      return "let t = ones([\(side), \(side)])\nlet u = matmul(t, t)\nprint(sum(u))"
    case 5:
      let bits = min(n, 40)
      return "gen g() -> Int {\n  var t = 0\n  for i in 0..<\(bits) {\n    let b ~ bernoulli(0.5) @ (\"b\", i)\n    if b { t += 1 }\n  }\n  t\n}\nlet p = enumerate(g, (), choicemap {})\nprint(mean(p, (\"b\", 0)))"
    case 6:
      return "gen g() -> Real {\n  let x ~ normal(0.0, 1.0) @ \"x\"\n  observe(normal(x, 1.0), 0.5)\n  x\n}\nlet p = smc(g, (), choicemap {}, particles: \(n))\nprint(log_evidence(p))"
    default:
      let (family, type) = families[Int(rng.uniform() * Double(families.count))]
      let value = constraintValues[Int(rng.uniform() * Double(constraintValues.count))]
      return "gen g() -> \(type) {\n  let x ~ \(family) @ \"x\"\n  x\n}\nlet p = importance(g, (), choicemap {\"x\": \(value)}, particles: \(min(n, 1000)))\nprint(log_evidence(p))"
    }
  }

  func testProgramsAtHostileScalesEndWithinTheirLimits() {
    let iterations = Int(ProcessInfo.processInfo.environment["PPL_SCALE_FUZZ_ITERATIONS"] ?? "") ?? 16
    let savedMemoryLimit = Interpreter.memoryLimit
    defer { Interpreter.memoryLimit = savedMemoryLimit }
    var rng = RandomGenerator(seed: 2027)
    var outcomes = FuzzOutcomes()
    for i in 0..<iterations {
      let template = i < 8 ? i : Int(rng.uniform() * 8)  // every template at least once
      let size = Int(pow(10, 1 + rng.uniform() * 5))
      let source = ScaleFuzzTests.program(template, size, &rng)
      Interpreter.memoryLimit = Interpreter.memoryInUse + 1_000_000_000
      let ppl = Interpreter(options: .init(seed: UInt64(i), allowFileIO: false, timeLimit: 0.5, output: { _ in }))
      let start = Date()
      outcomes.load(source, name: "scale\(i).ppl", into: ppl, "template \(template) at size \(size)")
      let seconds = Date().timeIntervalSince(start)
      XCTAssertLessThan(seconds, 5, "template \(template) at size \(size) ran \(seconds) s under a 0.5 s limit")
    }
    print("scale fuzz: \(iterations) programs, \(outcomes.ran) ran, \(outcomes.failed) reported errors")
  }
}

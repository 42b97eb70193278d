import Distributions
import Inference
import PPL
import Runtime
import XCTest

/// A handler that suspends at every random choice, so a test can decide the values.
struct SuspendAtChoices: Handler {
  var score = 0.0
  mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    .suspend
  }
  mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    score += (try? dist.logpdf(value.outcome ?? .real(.nan))) ?? .nan
    return true
  }
  mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    score += weight
    return true
  }
}

final class ExecutionCopyTests: XCTestCase {
  func gen(_ source: String, _ name: String) throws -> (Interpreter, Closure) {
    let ppl = Interpreter(options: .init(seed: 1))
    try ppl.load(source: source)
    guard case .closure(let c)? = ppl.value(of: name) else {
      XCTFail("no gen \(name)")
      throw RuntimeError("no gen")
    }
    return (ppl, c)
  }

  /// Suspends at a choice, copies the execution, and resumes the copies with
  /// different values: each continues independently from the same point.
  func testSuspendCopyResume() throws {
    let (ppl, g) = try gen("""
      gen model(k: Real) -> Real {
        let x ~ normal(0, 1)
        var acc = k
        for i in 0..<3 { acc += x }
        let y ~ normal(x, 1)
        acc + 10.0 * y
      }
      """, "model")
    var handler = SuspendAtChoices()
    var first = try Execution(closure: g, arguments: [.real(0.5)], context: ppl.context)
    guard case .suspended(.choice(let a, let d)) = try first.run(&handler, ppl.context) else { return XCTFail("no suspension") }
    XCTAssertEqual(a.description, "x")
    XCTAssertEqual(d, .scalar(.normal, Params(0, 1)))

    var second = first  // copy the suspended computation
    first.resume(with: .real(1.0))
    second.resume(with: .real(2.0))

    // Each copy reaches y with its own x as the mean.
    guard case .suspended(.choice(_, let d1)) = try first.run(&handler, ppl.context),
          case .suspended(.choice(_, let d2)) = try second.run(&handler, ppl.context)
    else { return XCTFail("no second suspension") }
    XCTAssertEqual(d1, .scalar(.normal, Params(1.0, 1)))
    XCTAssertEqual(d2, .scalar(.normal, Params(2.0, 1)))

    first.resume(with: .real(0.25))
    second.resume(with: .real(0.25))
    guard case .finished(.real(let r1)) = try first.run(&handler, ppl.context),
          case .finished(.real(let r2)) = try second.run(&handler, ppl.context)
    else { return XCTFail("did not finish") }
    XCTAssertEqual(r1, 0.5 + 3 * 1.0 + 2.5)
    XCTAssertEqual(r2, 0.5 + 3 * 2.0 + 2.5)
  }

  /// A copy taken inside a traced call keeps the callee's frames and address prefix.
  func testCopyInsideTracedCall() throws {
    let (ppl, g) = try gen("""
      gen leaf(m: Real) -> Real {
        let z ~ normal(m, 1)
        z * 2.0
      }
      gen root() -> Real {
        let a ~ leaf(3.0) @ ("sub", 1)
        a + 1.0
      }
      """, "root")
    var handler = SuspendAtChoices()
    var first = try Execution(closure: g, arguments: [], context: ppl.context)
    guard case .suspended(.choice(let address, _)) = try first.run(&handler, ppl.context) else { return XCTFail() }
    XCTAssertEqual(address.description, "sub/1/z")
    var copies = [first, first, first]
    var results: [Double] = []
    for i in copies.indices {
      copies[i].resume(with: .real(Double(i)))
      guard case .finished(.real(let r)) = try copies[i].run(&handler, ppl.context) else { return XCTFail() }
      results.append(r)
    }
    XCTAssertEqual(results, [1.0, 3.0, 5.0])
  }

  /// Every builtin is declared once, with a signature that parses.
  func testBuiltinDeclarationsAreConsistent() {
    XCTAssertEqual(Interpreter.standardBuiltins.problems, [])
    let registry = BuiltinRegistry()
    registry.declare("fn twice(x: Int) -> Int") { _, _ in .unit }
    registry.declare("fn twice(x: Int) -> Int") { _, _ in .unit }
    registry.declare("fn broken(x: ) -> Int") { _, _ in .unit }
    XCTAssertEqual(registry.problems, ["twice(Int) is declared twice", "the signature 'fn broken(x: ) -> Int' does not parse"])
  }
}

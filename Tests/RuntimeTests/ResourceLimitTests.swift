import PPL
import XCTest

final class ResourceLimitTests: XCTestCase {
  func runtimeError(_ source: String, options: Interpreter.Options) -> String? {
    do {
      try Interpreter(options: options).load(source: source)
      return nil
    } catch let e as PPLError {
      return e.kind == .runtime ? e.message : "not a runtime error: \(e.message)"
    } catch {
      return "\(error)"
    }
  }

  func testMaxStepsStopsAnInfiniteLoop() {
    let message = runtimeError("var i = 0\nwhile true { i += 1 }", options: .init(seed: 0, maxSteps: 10_000))
    XCTAssertEqual(message, "step limit exceeded (10000 steps)")
  }

  func testMaxStepsCountsCalls() {
    let source = "fn f(n: Int) -> Int { if n == 0 { 0 } else { f(n - 1) } }\nprint(f(500))"
    XCTAssertNotNil(runtimeError(source, options: .init(seed: 0, maxSteps: 100, output: { _ in })))
    XCTAssertNil(runtimeError(source, options: .init(seed: 0, maxSteps: 1000, output: { _ in })))
  }

  func testMaxDepthMakesRunawayRecursionAnError() {
    let message = runtimeError("fn f(n: Int) -> Int { f(n + 1) + 1 }\nprint(f(0))", options: .init(seed: 0, maxDepth: 200))
    XCTAssertEqual(message, "maximum call depth exceeded (200 nested calls)")
  }

  /// Recursion through a builtin (each level a nested machine run) is bounded too.
  func testRecursionThroughBuiltinsIsBounded() {
    let source = "fn f(n: Int) -> List[Int] { map([n], |k| sum(f(k + 1))) }\nprint(f(0))"
    let message = runtimeError(source, options: .init(seed: 0))
    XCTAssertEqual(message?.hasPrefix("maximum call depth exceeded"), true, message ?? "no error")
  }

  func testTheInterpreterSurvivesErrors() throws {
    var out = ""
    let ppl = Interpreter(options: .init(seed: 0, output: { out += $0 }))
    try ppl.load(source: "let xs = [1, 2]")
    XCTAssertThrowsError(try ppl.eval("xs[5]"))
    XCTAssertThrowsError(try ppl.eval("let y: Int = \"no\""))
    XCTAssertThrowsError(try ppl.eval("print(("))
    XCTAssertEqual(try ppl.eval("len(xs)").asInt(), 2)
  }

  func testFileBuiltinsAreRemovedWithoutFileIO() {
    let options = Interpreter.Options(seed: 0, allowFileIO: false)
    do {
      try Interpreter(options: options).load(source: "let t = load_csv(\"/etc/hostname\")")
      XCTFail("load_csv ran with file I/O disabled")
    } catch let e as PPLError {
      XCTAssertEqual(e.kind, .type)
      XCTAssertEqual(e.message, "unknown name 'load_csv'")
    } catch {
      XCTFail("\(error)")
    }
  }
}

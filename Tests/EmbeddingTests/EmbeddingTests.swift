import Foundation
import PPL
import XCTest

/// Uses only the public `PPL` module, as an embedder would (SPEC §11).
final class EmbeddingTests: XCTestCase {
  let coin = """
    gen coin(flips: List[Bool]) -> Real {
      let p ~ beta(1, 1)
      for f in flips { observe(bernoulli(p), f) }
      p
    }
    fn total(xs: List[Real]) -> Real { sum(xs) }
    """

  func testLoadEvalCallDefine() throws {
    var printed = ""
    let ppl = Interpreter(options: .init(seed: 7, output: { printed += $0 }))
    try ppl.load(source: coin, name: "coin.ppl")
    XCTAssertEqual(try ppl.eval("total([1.0, 2.5])").asReal(), 3.5)
    XCTAssertEqual(try ppl.call("total", [.list([.real(1), .real(2)])]).asReal(), 3.0)
    let p = try ppl.call("coin", [.list([.bool(true)])]).asReal()
    XCTAssertTrue(p > 0 && p < 1)

    try ppl.define("reward", type: "fn(Tensor) -> Real") { args in .real(try args[0].asTensor().sum()) }
    XCTAssertEqual(try ppl.eval("reward(tensor([1.0, 2.0, 3.0]))").asReal(), 6.0)
    try ppl.eval("print(\"hello\", reward(ones([2])))")
    XCTAssertEqual(printed, "hello 2.0\n")
  }

  /// `call` checks the host's arguments and `define` the host function's results
  /// against the declared types (a Real given for an Int parameter ran; issue: trust, 20
  /// and 25).
  func testCallAndDefineCheckTypesAtTheBoundary() throws {
    let ppl = Interpreter(options: .init(seed: 7, output: { _ in }))
    try ppl.load(source: coin + "\nfn twice(n: Int) -> Int { 2 * n }\n", name: "coin.ppl")
    XCTAssertEqual(try ppl.call("twice", [.int(4)]).asInt(), 8)
    let calls: [(String, [Value], String)] = [
      ("twice", [.real(2.5)], "argument 1 of 'twice': expected Int, got Real"),
      ("twice", [], "'twice' takes 1 argument, got 0"),
      ("total", [.list([.real(1), .bool(true)])], "argument 1 of 'total': in a list element: expected Real, got Bool"),
      ("coin", [.list([.int(1)])], "argument 1 of 'coin': in a list element: expected Bool, got Int"),
    ]
    for (name, arguments, message) in calls {
      XCTAssertThrowsError(try ppl.call(name, arguments)) { error in
        XCTAssertEqual((error as? PPLError)?.message, message)
      }
    }
    try ppl.define("bad", type: "fn(Real) -> Real") { _ in .string("oops") }
    XCTAssertThrowsError(try ppl.eval("bad(1.0) + 1.0")) { error in
      XCTAssertEqual((error as? PPLError)?.message, "bad (defined by the host) returned a wrong value: expected Real, got String")
    }
  }

  /// One instance used from a second thread while it runs throws a clear error and
  /// stays usable (it crashed in the global store or corrupted its nesting count).
  func testOneInterpreterRefusesASecondThread() throws {
    let ppl = Interpreter(options: .init(seed: 1, timeLimit: 1.5, output: { _ in }))
    let started = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
    try ppl.define("started", type: "fn() -> Int") { _ in started.signal(); return .int(0) }
    DispatchQueue.global().async {
      _ = try? ppl.eval("let s = started()\nwhile true { }")  // ends at the time limit
      finished.signal()
    }
    started.wait()
    XCTAssertThrowsError(try ppl.eval("1 + 1")) { error in
      XCTAssertTrue((error as? PPLError)?.message.hasPrefix("this Interpreter is running on another thread") ?? false, "\(error)")
    }
    finished.wait()
    XCTAssertEqual(try ppl.eval("2 + 3").asInt(), 5)
  }

  /// A closure from one interpreter reads that interpreter's globals, so another one
  /// refuses it (it read the other's `mu0`, or crashed).
  func testClosuresFromAnotherInterpreterAreRefused() throws {
    let a = Interpreter(options: .init(seed: 1)), b = Interpreter(options: .init(seed: 1))
    try a.load(source: "let mu0 = 3.0\nfn shift(x: Real) -> Real { x + mu0 }")
    try b.load(source: "let mu0 = 1.0\nfn apply(f: fn(Real) -> Real, x: Real) -> Real { f(x) }")
    let shift = try XCTUnwrap(a.value(of: "shift"))
    XCTAssertThrowsError(try b.call("apply", [shift, .real(0)])) { error in
      XCTAssertEqual((error as? PPLError)?.message,
                     "argument 1 of 'apply': the function shift belongs to another Interpreter, whose globals it reads; it cannot run in this one")
    }
    try b.define("foreign", type: "fn() -> fn(Real) -> Real") { _ in shift }
    XCTAssertThrowsError(try b.eval("foreign()(0.0)"))
    XCTAssertEqual(try a.call("shift", [.real(0)]).asReal(), 3.0)
  }

  /// A type nested 100,000 deep given to `define` is an error, not a stack overflow.
  func testDefineRefusesTypesNestedTooDeeply() {
    let ppl = Interpreter(options: .init(seed: 1))
    let deep = String(repeating: "List[", count: 100_000) + "Int" + String(repeating: "]", count: 100_000)
    XCTAssertThrowsError(try ppl.define("f", type: "fn(\(deep)) -> Int") { _ in .int(0) }) { error in
      XCTAssertTrue("\(error)".contains("nested too deeply"), "\(error)")
    }
  }

  func testErrorsCarryStructuredDiagnostics() {
    let ppl = Interpreter(options: .init(seed: 0))
    do {
      try ppl.load(source: "let a = 1\nlet b = a + \"x\"", name: "bad.ppl")
      XCTFail("no error")
    } catch let e as PPLError {
      XCTAssertEqual(e.kind, .type)
      let d = e.diagnostics[0]
      XCTAssertEqual([d.file, "\(d.line)", "\(d.column)"], ["bad.ppl", "2", "9"])
      XCTAssertEqual(d.severity, .error)
      XCTAssertTrue(e.rendered.hasPrefix("bad.ppl:2:9: error: cannot apply '+' to Int and String"))
    } catch {
      XCTFail("\(error)")
    }
  }

  func testConversionsThrowTypedErrors() throws {
    let v = try Interpreter(options: .init(seed: 0)).eval("\"text\"")
    XCTAssertEqual(try v.asString(), "text")
    XCTAssertThrowsError(try v.asReal())
  }

  /// Two interpreters on two threads: no shared state, and each gives what it gives alone.
  func testInterpretersRunConcurrently() throws {
    let program = """
      gen walk(n: Int) -> Real {
        var x = 0.0
        for i in 0..<n {
          let step ~ normal(0, 1) @ ("step", i)
          x += step
        }
        x
      }
      fn run() -> Real {
        var total = 0.0
        for k in 0..<200 { total += simulate(walk, (50,)).retval }
        total
      }
      """
    func alone(_ seed: UInt64) throws -> Double {
      let ppl = Interpreter(options: .init(seed: seed))
      try ppl.load(source: program)
      return try ppl.eval("run()").asReal()
    }
    let expected = [try alone(1), try alone(2)]
    var results = [Double?](repeating: nil, count: 2)
    let lock = NSLock()
    let group = DispatchGroup()
    for i in 0..<2 {
      group.enter()
      Thread.detachNewThread {
        let r = try? alone(UInt64(i + 1))
        lock.lock()
        results[i] = r
        lock.unlock()
        group.leave()
      }
    }
    group.wait()
    XCTAssertEqual(results.compactMap { $0 }, expected)
    XCTAssertNotEqual(expected[0], expected[1])
  }

  func testStdlibModulesAreEmbedded() throws {
    let ppl = Interpreter(options: .init(seed: 0))
    try ppl.load(source: "import stats\nlet m = mean_of([1.0, 2.0, 3.0])\nlet c = cumsum([1.0, 2.0, 3.0])")
    XCTAssertEqual(try ppl.eval("m").asReal(), 2.0)
    XCTAssertEqual(try ppl.eval("variance_of([1.0, 2.0, 3.0])").asReal(), 1.0)
    XCTAssertEqual(try ppl.eval("c").asList().map { try $0.asReal() }, [1.0, 3.0, 6.0])
    XCTAssertEqual(try ppl.eval("argmax_of([1.0, 5.0, 2.0])").asInt(), 1)
  }
}

extension EmbeddingTests {
  /// The deepest nesting the limits allow fits in a worker thread's stack.
  func testDeepNestingOnAWorkerThread() {
    let done = expectation(description: "ran")
    DispatchQueue.global().async {
      let ppl = Interpreter(options: .init(seed: 0))
      let nested = "fn f(n: Int) -> List[Int] { map([n], |k| sum(f(k + 1))) }\nprint(f(0))"
      let deep = "fn down(n: Int) -> Int { if n == 0 { 0 } else { 1 + down(n - 1) } }"
      var nestedFailed = false
      do { try ppl.load(source: nested) } catch { nestedFailed = true }
      let depth = try? ppl.load(source: deep)
      let value = depth.flatMap { try? ppl.eval("down(9000)").asInt() }
      XCTAssertTrue(nestedFailed)
      XCTAssertEqual(value, 9000)
      done.fulfill()
    }
    wait(for: [done], timeout: 60)
  }

  /// On a thread with a small stack, calls nested through builtins stop with an error
  /// before the stack runs out, and deeply nested source is refused or checked on a
  /// thread of its own.
  func testSmallStacksSurviveDeepNesting() {
    let done = expectation(description: "ran")
    var outcomes: [String] = []
    let thread = Thread {
      let ppl = Interpreter(options: .init(seed: 0, output: { _ in }))
      let programs = [
        "fn f(n: Int) -> List[Int] { map([n], |k| sum(f(k + 1))) }\nprint(f(0))",
        "let x = " + String(repeating: "(", count: 250) + "1" + String(repeating: ")", count: 250),
        "let z = 1" + String(repeating: " + 1", count: 990),
        "let y = 1" + String(repeating: " + 1", count: 100_000),
      ]
      for source in programs {
        do {
          try ppl.load(source: source)
          outcomes.append("ran")
        } catch let e as PPLError {
          outcomes.append(e.message)
        } catch {
          outcomes.append("\(error)")
        }
      }
      done.fulfill()
    }
    thread.stackSize = 1 << 20
    thread.start()
    wait(for: [done], timeout: 120)
    XCTAssertEqual(outcomes.count, 4)
    XCTAssertTrue(outcomes.first?.hasPrefix("maximum call depth exceeded") ?? false, outcomes.first ?? "")
    XCTAssertEqual(Array(outcomes.dropFirst().prefix(2)), ["ran", "ran"])
    XCTAssertEqual(outcomes.last, "this is nested too deeply (more than 1000 levels); split it with let bindings")
  }
}

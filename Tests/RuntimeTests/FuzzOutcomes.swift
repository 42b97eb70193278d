import PPL
import XCTest

/// How the fuzzers' programs ended: run to the end, or stopped with a PPL error. Any
/// other error fails the test (a crash ends the run).
struct FuzzOutcomes {
  var ran = 0
  var failed = 0

  /// Loads `source` into `ppl`; `what` names the program in a failure.
  mutating func load(_ source: String, name: String, into ppl: Interpreter, _ what: @autoclosure () -> String) {
    do {
      try ppl.load(source: source, name: name)
      ran += 1
    } catch is PPLError {
      failed += 1
    } catch {
      XCTFail("\(what()) threw a non-PPL error: \(error)")
    }
  }
}

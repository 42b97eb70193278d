import XCTest

@testable import Runtime

/// A batched run drops the registers no later instruction reads; here is which those are
/// on `unfold`'s hand-written loop (registers: step 0, state 1, T 2, states 3, t 4, and
/// the call's arguments 5 and 6).
final class LivenessTests: XCTestCase {
  func live(at pc: Int) -> [Int] { (0..<7).filter { Unfold.code.liveness.isLive($0, at: pc) } }

  func testNothingIsLiveBeforeTheFirstWrites() {
    XCTAssertEqual(live(at: 0), [])
    XCTAssertEqual(live(at: 3), [0, 1, 2])
  }

  func testTheLoopKeepsItsStateButNotTheCallsArguments() {
    // pc 9 is where the loop resumes after the traced call to step.
    XCTAssertEqual(live(at: 9), [0, 1, 2, 3, 4])
    XCTAssertEqual(live(at: 5), [0, 1, 2, 3, 4])
    XCTAssertEqual(live(at: 8), [0, 2, 3, 4, 5, 6])  // state is about to be written
  }

  func testOnlyTheResultIsLiveAtTheReturn() {
    XCTAssertEqual(live(at: 12), [3])
    XCTAssertEqual(live(at: 13), [])
  }
}

@testable import Tensor
import XCTest

/// A large product given a checkpoint runs as blocks of rows with the checkpoint called
/// between them (so a time limit holds inside one `matmul`), with the same result.
final class BlockedMatmulTests: XCTestCase {
  func tensor(_ shape: [Int], seed: Int) -> Tensor {
    Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Double(($0 * 7919 + seed * 104_729) % 1000) / 1000 - 0.5 })
  }

  func testBlocksGiveTheSameProductAndCallTheCheckpointBetweenThem() throws {
    // n · k = 2^22, so blocks of 2^27 / 2^22 = 32 rows: 64 rows are two blocks.
    let b = tensor([2048, 2048], seed: 2)
    for transposeA in [false, true] {
      let a = tensor(transposeA ? [2048, 64] : [64, 2048], seed: 1)
      var calls = 0
      let blocked = try Tensor.matmul(a, b, transposeA: transposeA, checkpoint: { calls += 1 })
      let whole = try Tensor.matmul(a, b, transposeA: transposeA)
      XCTAssertEqual(calls, 1, "two blocks, one checkpoint between them")
      XCTAssertEqual(blocked.shape, [64, 2048])
      let gap = zip(blocked.data, whole.data).map { abs($0 - $1) }.max() ?? .nan
      XCTAssertLessThan(gap, 1e-9, "largest difference \(gap), tolerance 1e-9")
    }
  }

  func testACheckpointThatThrowsStopsTheProduct() {
    struct Stop: Error {}
    let a = tensor([64, 2048], seed: 1), b = tensor([2048, 2048], seed: 2)
    XCTAssertThrowsError(try Tensor.matmul(a, b, checkpoint: { throw Stop() })) { XCTAssertTrue($0 is Stop) }
  }
}

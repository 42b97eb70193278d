import Distributions
import Tensor
import XCTest

/// Stan's ordered and positive_ordered transforms: onto increasing vectors and back,
/// their pullbacks (of the values and of log |J|) against central finite differences,
/// and log |J| against the log-determinant of the (triangular) finite-difference Jacobian.
final class OrderedTransformTests: XCTestCase {
  let u: [Double] = [0.3, -1.2, 2.0, 0.05]

  func constrained(_ u: [Double], _ lower: Double?) throws -> (x: [Double], logJ: Double) {
    let (x, logJ) = try OrderedTransform.constrain(.constant(Tensor(shape: [u.count], data: u)), lower: lower)
    return (x.value.data, logJ.value.data[0])
  }

  func testMapsOntoIncreasingVectorsAndBack() throws {
    for lower in [nil, 0.0, -3.5] {
      let (x, _) = try constrained(u, lower)
      XCTAssertTrue(zip(x, x.dropFirst()).allSatisfy { $0 < $1 }, "increasing")
      if let lower { XCTAssertGreaterThan(x[0], lower) }
      let back = OrderedTransform.unconstrain(Tensor(shape: [4], data: x), lower: lower).data
      for (a, b) in zip(back, u) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }
  }

  func testPullbacksAndLogJacobianMatchFiniteDifferences() throws {
    let weights: [Double] = [0.7, -1.3, 2.1, 0.4]
    for lower in [nil, 1.5] {
      let tape = Tape()
      let leaf = tape.variable(Tensor(shape: [4], data: u))
      let (x, logJ) = try OrderedTransform.constrain(.tracked(leaf), lower: lower)
      let objective = try Differentiable.binary(.add,
        try Differentiable.sum(try Differentiable.binary(.mul, x, .constant(Tensor(shape: [4], data: weights)))), logJ)
      guard case .tracked(let out) = objective else { return XCTFail("not tracked") }
      let gradient = try XCTUnwrap(try tape.gradients(of: out)[leaf.index]).data
      let h = 1e-6
      var diagonal: [Double] = []
      for j in u.indices {
        var up = u, down = u
        up[j] += h
        down[j] -= h
        let (a, b) = (try constrained(up, lower), try constrained(down, lower))
        let f = { (r: (x: [Double], logJ: Double)) in zip(r.x, weights).reduce(r.logJ) { $0 + $1.0 * $1.1 } }
        XCTAssertEqual(gradient[j], (f(a) - f(b)) / (2 * h), accuracy: 1e-7, "d/du[\(j)], lower \(String(describing: lower))")
        diagonal.append((a.x[j] - b.x[j]) / (2 * h))
      }
      // x_j depends on u_0 … u_j only: the Jacobian is triangular, its log-determinant
      // the sum of the logs of its diagonal.
      XCTAssertEqual(try constrained(u, lower).logJ, diagonal.reduce(0) { $0 + log(abs($1)) }, accuracy: 1e-7)
    }
  }
}

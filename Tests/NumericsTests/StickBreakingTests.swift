import Distributions
import Tensor
import XCTest

/// Stan's simplex transform: onto the simplex, inverted by `unconstrain`, and its two
/// pullbacks (of the values and of log |J|) against central finite differences; log |J|
/// itself against the log-determinant of the finite-difference Jacobian.
final class StickBreakingTests: XCTestCase {
  let u: [Double] = [0.3, -1.2, 2.0, 0.05]

  func constrained(_ u: [Double]) throws -> (x: [Double], logJ: Double) {
    let (x, logJ) = try StickBreaking.constrain(.constant(Tensor(shape: [u.count], data: u)))
    return (x.value.data, logJ.value.data[0])
  }

  func testMapsOntoTheSimplexAndBack() throws {
    let (x, _) = try constrained(u)
    XCTAssertEqual(x.count, 5)
    XCTAssertEqual(x.reduce(0, +), 1, accuracy: 1e-15)
    XCTAssertTrue(x.allSatisfy { $0 > 0 })
    let back = StickBreaking.unconstrain(Tensor(shape: [5], data: x)).data
    for (a, b) in zip(back, u) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    // u = 0 is the centre of the simplex.
    for xi in try constrained([0, 0, 0, 0]).x { XCTAssertEqual(xi, 0.2, accuracy: 1e-15) }
  }

  func testPullbacksMatchFiniteDifferences() throws {
    let weights: [Double] = [0.7, -1.3, 2.1, 0.4, -0.9]
    let tape = Tape()
    let leaf = tape.variable(Tensor(shape: [4], data: u))
    let (x, logJ) = try StickBreaking.constrain(.tracked(leaf))
    let objective = try Differentiable.binary(.add,
      try Differentiable.sum(try Differentiable.binary(.mul, x, .constant(Tensor(shape: [5], data: weights)))), logJ)
    guard case .tracked(let out) = objective else { return XCTFail("not tracked") }
    let gradient = try XCTUnwrap(try tape.gradients(of: out)[leaf.index]).data
    let h = 1e-6
    var jacobian: [[Double]] = []
    for j in u.indices {
      var up = u, down = u
      up[j] += h
      down[j] -= h
      let (a, b) = (try constrained(up), try constrained(down))
      let f = { (r: (x: [Double], logJ: Double)) in zip(r.x, weights).reduce(r.logJ) { $0 + $1.0 * $1.1 } }
      XCTAssertEqual(gradient[j], (f(a) - f(b)) / (2 * h), accuracy: 1e-7, "d/du[\(j)]")
      jacobian.append(zip(a.x, b.x).prefix(4).map { ($0 - $1) / (2 * h) })
    }
    // log |det| of the 4×4 Jacobian of the first four values, by Gaussian elimination.
    var m = jacobian, logDet = 0.0
    for c in 0..<4 {
      let pivot = (c..<4).max { abs(m[$0][c]) < abs(m[$1][c]) }!
      m.swapAt(c, pivot)
      logDet += log(abs(m[c][c]))
      for r in (c + 1)..<4 {
        let f = m[r][c] / m[c][c]
        for k in c..<4 { m[r][k] -= f * m[c][k] }
      }
    }
    XCTAssertEqual(try constrained(u).logJ, logDet, accuracy: 1e-7)
  }

  /// Far toward an edge (sparse Dirichlets put components there) the log-Jacobian and
  /// the inverse stay finite; 1 − σ(v) rounded to 0 from v ≈ 37 before.
  func testEdgesStayFinite() throws {
    for v in [-800.0, -50, 50, 800] {
      let (x, logJ) = try constrained([v, 0, -v])
      XCTAssertTrue(logJ.isFinite, "log |J| at u = \(v): \(logJ)")
      XCTAssertTrue(x.allSatisfy { $0 >= 0 }, "\(x)")
      XCTAssertEqual(x.reduce(0, +), 1, accuracy: 1e-12)
    }
    for x in [[1.0, 0, 0], [0, 1.0, 0], [1e-300, 1e-300, 1], [0.5, 0.5 - 1e-17, 1e-17]] {
      let u = StickBreaking.unconstrain(Tensor(shape: [3], data: x)).data
      XCTAssertTrue(u.allSatisfy(\.isFinite), "u of \(x): \(u)")
    }
  }
}

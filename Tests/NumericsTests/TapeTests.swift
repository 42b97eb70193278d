@testable import Tensor
import XCTest

final class TapeTests: XCTestCase {
  /// A tape is freed once its results are: pullbacks must not capture tracked values
  /// (that would be a reference cycle leaking every intermediate tensor).
  func testTapesAreFreedAfterUse() throws {
    weak var weakTape: Tape?
    try {
      let tape = Tape()
      weakTape = tape
      let a = Operand.tracked(tape.variable(Tensor(shape: [2], data: [1, 2])))
      let b = Operand.tracked(tape.variable(.scalar(3)))
      var r = try Differentiable.binary(.pow, a, b)
      r = try Differentiable.binary(.mul, r, b)
      r = try Differentiable.stack([r, a])
      r = try Differentiable.concat([r, r])
      r = try Differentiable.softmax(try Differentiable.matmul(r, try Differentiable.reshape(a, [2, 1])), log: true)
      r = try Differentiable.sum(try Differentiable.gather(r, positions: [0, 3], shape: [2]))
      guard case .tracked(let out) = r else { return XCTFail("not tracked") }
      let grads = try tape.gradients(of: out)
      XCTAssertNotNil(grads[0])
    }()
    XCTAssertNil(weakTape, "the tape outlived its values")
  }

  func testGradientOfAKnownFunction() throws {
    // f(x) = Σ x² · 3 has gradient 6x.
    let tape = Tape()
    let x = tape.variable(Tensor(shape: [3], data: [1, -2, 0.5]))
    let y = try Differentiable.sum(try Differentiable.binary(.mul, try Differentiable.binary(.pow, .tracked(x), .constant(.scalar(2))), .constant(.scalar(3))))
    guard case .tracked(let out) = y else { return XCTFail("not tracked") }
    XCTAssertEqual(try tape.gradients(of: out)[x.index]?.data, [6, -12, 3])
  }

  func testUnbroadcastSumsBackToTheOperandShape() throws {
    let g = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(try g.unbroadcast(to: [3]).data, [5, 7, 9])
    XCTAssertEqual(try g.unbroadcast(to: [2, 1]).data, [6, 15])
    XCTAssertEqual(try g.unbroadcast(to: []).data, [21])
    XCTAssertThrowsError(try g.unbroadcast(to: [4]), "a shape the gradient cannot reduce to is an error, not a wrong gradient")
  }

  /// Scalar operations record a closure-free rule (`ScalarRule`); their gradients must
  /// equal the tensor rules' to the last bit. The same expression runs on rank-0
  /// operands (scalar rules) and on shape-[1] operands (tensor rules).
  func testScalarRulesMatchTensorRulesExactly() throws {
    func gradients(_ shape: [Int], _ f: UnaryFunction, _ op: Tensor.Arithmetic) throws -> [Double] {
      let tape = Tape()
      let a = tape.variable(Tensor(shape: shape, data: [0.7])), b = tape.variable(Tensor(shape: shape, data: [1.3]))
      let inner = try Differentiable.binary(op, .tracked(a), .tracked(b))
      var r = try Differentiable.unary(f, try Differentiable.binary(.mul, inner, .constant(Tensor(shape: shape, data: [0.4]))))
      r = try Differentiable.binary(.pow, r, .constant(Tensor(shape: shape, data: [2])))
      r = try Differentiable.binary(.sub, try Differentiable.binary(.div, r, .tracked(b)), .tracked(a))
      guard case .tracked(let out) = r else { throw TensorError("not tracked") }
      let grads = try tape.gradients(of: out)
      return [a, b].map { grads[$0.index]?.data[0] ?? .nan }
    }
    for f in UnaryFunction.allCases where f != .digamma {
      for op in [Tensor.Arithmetic.add, .sub, .mul, .div, .pow] {
        let scalar = try gradients([], f, op), tensor = try gradients([1], f, op)
        XCTAssertEqual(scalar.map(\.bitPattern), tensor.map(\.bitPattern), "\(f) after \(op): \(scalar) against \(tensor)")
      }
    }
  }

  /// Elements read one at a time (`beta[k]`, recorded as element nodes) get the same
  /// gradient as a gather of several (a closure node): v[0]·v[2] + 3·v[1] + v[0] twice.
  func testElementNodesMatchGathers() throws {
    func gradient(oneAtATime: Bool) throws -> [Double] {
      let tape = Tape()
      let v = tape.variable(Tensor(shape: [3], data: [0.7, -1.2, 2.5]))
      func element(_ k: Int) throws -> Operand {
        if oneAtATime { return try Differentiable.gather(.tracked(v), positions: [k], shape: []) }
        // A two-element gather keeps the closure path; its first element is the one asked for.
        let pair = try Differentiable.gather(.tracked(v), positions: [k, (k + 1) % 3], shape: [2])
        return try Differentiable.gather(pair, positions: [0], shape: [])
      }
      var r = try Differentiable.binary(.mul, try element(0), try element(2))
      r = try Differentiable.binary(.add, r, try Differentiable.binary(.mul, try element(1), .constant(.scalar(3))))
      r = try Differentiable.binary(.add, r, try element(0))
      r = try Differentiable.binary(.add, r, try element(0))
      guard case .tracked(let out) = r else { throw TensorError("not tracked") }
      return try XCTUnwrap(try tape.gradients(of: out)[v.index]).data
    }
    XCTAssertEqual(try gradient(oneAtATime: true), [2.5 + 2, 3, 0.7])
    XCTAssertEqual(try gradient(oneAtATime: true).map(\.bitPattern), try gradient(oneAtATime: false).map(\.bitPattern))
  }

  func testArithmeticOnMismatchedShapesThrows() {
    let a = Tensor(shape: [2], data: [1, 2]), b = Tensor(shape: [3], data: [1, 2, 3])
    XCTAssertThrowsError(try a + b)
    XCTAssertThrowsError(try a * b)
  }
}

final class BLASKernelTests: XCTestCase {
  /// On a CPU with AVX2 or AVX-512, OpenBLAS runs the matching kernel family, not the
  /// generic fallback (SkylakeX for AVX-512, Haswell or newer AVX2 kernels otherwise).
  func testTheFastKernelIsUsed() throws {
    let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
    XCTAssertEqual(try Tensor.matmul(a, a).data, [7, 10, 15, 22])
    XCTAssertEqual(try Tensor.matmul(a, a, transposeA: true).data, [10, 14, 14, 20])
    XCTAssertNotEqual(BLASKernel.coreName, "unavailable")
    if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, BLASKernel.coreTypeForThisCPU != nil {
      XCTAssertNotEqual(BLASKernel.coreName, "Prescott")
    }
  }
}

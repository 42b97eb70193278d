import Distributions
import Foundation
import Tensor

/// Declares the builtins of SPEC §3 that the runtime itself implements.
public enum RuntimeBuiltins {
  public static func declare(into r: BuiltinRegistry) {
    declareMath(r)
    declareConversions(r)
    declareLists(r)
    declareTensors(r)
    declareTensorReductions(r)
    declareLinearAlgebra(r)
    declareIO(r)
    declarePlots(r)
    declareDistributions(r)
    declareStrategies(r)
    declareTransformed(r)
    declareUnfold(r)
  }

  /// The elementwise functions, with their derivatives; the Real forms of the common
  /// ones run as machine instructions.
  static func declareMath(_ r: BuiltinRegistry) {
    let intrinsics: [UnaryFunction: Intrinsic] = [.exp: .exp, .log: .log, .sqrt: .sqrt, .abs: .abs, .sin: .sin, .cos: .cos,
                                                  .tanh: .tanh, .log1p: .log1p, .expm1: .expm1]
    // Before abs(Real): an integer literal takes the Int form.
    r.declare("fn abs(x: Int) -> Int") { a, c in
      let i = try a.int("x")
      guard i != .min else { throw c.fail("integer overflow in abs") }
      return .int(Swift.abs(i))
    }
    for f in UnaryFunction.allCases {
      let rule = Differentiability.rule { a, _ in try Autodiff.unaryMath(f, try a["x"]) }
      r.declare("fn \(f.rawValue)(x: Real) -> Real", differentiability: rule, intrinsic: intrinsics[f]) { a, _ in .real(f(try a.real("x"))) }
      r.declare("fn \(f.rawValue)(x: Tensor) -> Tensor", differentiability: rule) { a, _ in .tensor(f.apply(try a.tensor("x"))) }
    }
    let pow = Differentiability.rule { a, _ in try Autodiff.binary(.pow, try a["x"], try a["y"]) }
    r.declare("fn pow(x: Real, y: Real) -> Real", differentiability: pow) { a, _ in .real(Foundation.pow(try a.real("x"), try a.real("y"))) }
    r.declare("fn pow(x: Tensor, y: Real) -> Tensor", differentiability: pow) { a, _ in
      let y = try a.real("y")
      return .tensor(try a.tensor("x").map { Foundation.pow($0, y) })
    }
    r.declare("fn min(a: Int, b: Int) -> Int") { a, _ in .int(Swift.min(try a.int("a"), try a.int("b"))) }
    r.declare("fn max(a: Int, b: Int) -> Int") { a, _ in .int(Swift.max(try a.int("a"), try a.int("b"))) }
    for (name, pickFirst) in [("min", true), ("max", false)] {
      // The derivative follows the argument chosen.
      let rule = Differentiability.rule { a, _ in
        let x = try a["a"], y = try a["b"]
        return (try x.primalTensor().data[0] <= y.primalTensor().data[0]) == pickFirst ? x : y
      }
      r.declare("fn \(name)(a: Real, b: Real) -> Real", differentiability: rule) { a, _ in
        let x = try a.real("a"), y = try a.real("b")
        return .real(pickFirst ? Swift.min(x, y) : Swift.max(x, y))
      }
    }
  }

  static func declareConversions(_ r: BuiltinRegistry) {
    r.declare("fn real(i: Int) -> Real", intrinsic: .realOfInt) { a, _ in .real(Double(try a.int("i"))) }
    r.declare("fn int(x: Real) -> Int", differentiability: .valuesOnly) { a, c in
      let x = try a.real("x")
      guard let i = Int(exactly: x.rounded(.towardZero)) else { throw c.fail("int(\(ValueFormatter.real(x))) is not representable as an Int") }
      return .int(i)
    }
    r.declare("fn is_nan(x: Real) -> Bool", differentiability: .valuesOnly) { a, _ in .bool(try a.real("x").isNaN) }
    r.declare("fn int(s: String) -> Int") { a, c in
      let s = try a.string("s")
      guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw c.fail("int: '\(s)' is not an integer") }
      return .int(i)
    }
    r.declare("fn real(s: String) -> Real") { a, c in
      let s = try a.string("s")
      guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else { throw c.fail("real: '\(s)' is not a number") }
      return .real(x)
    }
    r.declare("fn str(x: any) -> String", differentiability: .valuesOnly) { a, _ in .string(ValueFormatter.format(try a["x"])) }
    r.declare("fn print(values: any...) -> Unit", differentiability: .valuesOnly) { a, c in
      c.runtime.output(a.values.map { ValueFormatter.format($0) }.joined(separator: " ") + "\n")
      return .unit
    }
    r.declare("fn len(s: String) -> Int") { a, _ in .int(try a.string("s").count) }
  }
}

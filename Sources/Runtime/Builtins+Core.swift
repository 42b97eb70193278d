import Distributions
import Foundation
import Tensor

/// Registers the builtins of SPEC §3 that the runtime itself implements.
public enum RuntimeBuiltins {
  public static func register(into r: BuiltinRegistry) {
    registerCore(r)
    registerLists(r)
    registerTensors(r)
    registerIO(r)
    registerDistributions(r)
    registerStrategies(r)
    registerTransformed(r)
    registerPlots(r)
    registerTensorReductions(r)
    registerUnfold(r)
    registerDifferentiable(r)  // last: wraps the bodies registered above
  }

  static func sigmoid(_ x: Double) -> Double { Elementary.sigmoid(x) }

  static func registerCore(_ r: BuiltinRegistry) {
    for f in UnaryFunction.allCases {
      r.register("\(f.rawValue)(Real)") { a, _ in .real(f(try a[0].asReal())) }
      r.register("\(f.rawValue)(Tensor)") { a, _ in .tensor(f.apply(try a[0].asTensor())) }
    }
    r.register("abs(Int)") { a, c in
      let i = try a[0].asInt()
      guard i != .min else { throw c.fail("integer overflow in abs") }
      return .int(Swift.abs(i))
    }
    r.register("pow(Real, Real)") { a, _ in .real(pow(try a[0].asReal(), try a[1].asReal())) }
    r.register("pow(Tensor, Real)") { a, _ in
      let y = try a[1].asReal()
      return .tensor(try a[0].asTensor().map { pow($0, y) })
    }
    r.register("min(Int, Int)") { a, _ in .int(Swift.min(try a[0].asInt(), try a[1].asInt())) }
    r.register("max(Int, Int)") { a, _ in .int(Swift.max(try a[0].asInt(), try a[1].asInt())) }
    r.register("min(Real, Real)") { a, _ in .real(Swift.min(try a[0].asReal(), try a[1].asReal())) }
    r.register("max(Real, Real)") { a, _ in .real(Swift.max(try a[0].asReal(), try a[1].asReal())) }
    r.register("real(Int)") { a, _ in .real(Double(try a[0].asInt())) }
    r.register("int(Real)") { a, c in
      let x = try a[0].asReal()
      guard let i = Int(exactly: x.rounded(.towardZero)) else { throw c.fail("int(\(ValueFormatter.real(x))) is not representable as an Int") }
      return .int(i)
    }
    r.register("int(String)") { a, c in
      let s = try a[0].asString()
      guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw c.fail("int: '\(s)' is not an integer") }
      return .int(i)
    }
    r.register("real(String)") { a, c in
      let s = try a[0].asString()
      guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else { throw c.fail("real: '\(s)' is not a number") }
      return .real(x)
    }
    r.register("is_nan(Real)") { a, _ in .bool(try a[0].asReal().isNaN) }
    r.register("str(?)") { a, _ in .string(ValueFormatter.format(a[0])) }
    r.register("print(?)") { a, c in
      c.runtime.output(a.map { ValueFormatter.format($0) }.joined(separator: " ") + "\n")
      return .unit
    }
    r.register("len(String)") { a, _ in .int(try a[0].asString().count) }
  }
}

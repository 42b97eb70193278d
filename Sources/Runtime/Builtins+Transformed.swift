import Distributions
import Tensor
import Types

extension RuntimeBuiltins {
  /// `transformed(base, bijector)`: a flow's distribution. The bijector's PPL functions
  /// run on this interpreter (held weakly: a distribution kept past its interpreter
  /// reports that instead of running).
  static func registerTransformed(_ r: BuiltinRegistry) {
    guard let signature = Builtins.table["transformed"]?.first else { return }
    r.register(BuiltinRegistry.key(signature)) { a, c in
      let base = try Autodiff.primal(a[0])
      guard case .record(let names, let fields) = a[1], names == ["forward", "inverse", "log_det"] else {
        throw c.fail("transformed: the bijector is a record of forward, inverse and log_det")
      }
      weak var runtime = c.runtime
      let span = c.span
      func function(_ f: Value) -> (Value) throws -> Value {
        { x in
          guard let runtime else { throw RuntimeError("transformed: the interpreter that made this distribution is gone") }
          return try runtime.call(f, [x], at: span)
        }
      }
      let values = ValueTransform(forward: function(fields[0]), inverse: function(fields[1]), logDeterminant: function(fields[2]))
      func plain(_ f: @escaping (Value) throws -> Value) -> (Tensor) throws -> Tensor {
        { t in try primalValue(try f(.tensor(t))).asTensor() }
      }
      let transform = Transform(forward: plain(values.forward), inverse: plain(values.inverse)) { z in
        try primalValue(try values.logDeterminant(.tensor(z))).asTensor().data.reduce(0, +)
      }
      return .trackedDist(TrackedDistribution(.transformed(base, transform), .transformed(base: a[0], values)))
    }
  }
}

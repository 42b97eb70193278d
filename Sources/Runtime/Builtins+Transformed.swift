import Distributions
import Tensor
import Types

extension RuntimeBuiltins {
  /// `transformed(base, bijector)`: a flow's distribution. The bijector's PPL functions
  /// run on this interpreter's own context, or on a child of it while parallel chains
  /// or particles run (held weakly: a distribution kept past its interpreter reports
  /// that instead of running).
  static func declareTransformed(_ r: BuiltinRegistry) {
    let bijectors = ["{forward: fn(Tensor) -> Tensor, inverse: fn(Tensor) -> Tensor, log_det: fn(Tensor) -> Tensor}",
                     "{forward: fn(Tensor) -> Tensor, inverse: fn(Tensor) -> Tensor, inverse_with_log_det: fn(Tensor) -> (Tensor, Tensor), log_det: fn(Tensor) -> Tensor}"]
    for bijector in bijectors {
      r.declare("fn transformed(base: Dist[Tensor], bijector: \(bijector)) -> Dist[Tensor]") { a, c in
        try transformed(try a["base"], try a["bijector"], c)
      }
    }
  }

  /// The bijector record: forward, inverse, log_det, and optionally inverse_with_log_det.
  static func transformed(_ baseValue: Value, _ bijector: Value, _ c: CallContext) throws -> Value {
    let base = try Autodiff.primal(baseValue)
    guard case .record(let names, let fields) = bijector, let forward = names.firstIndex(of: "forward"),
          let inverse = names.firstIndex(of: "inverse"), let logDet = names.firstIndex(of: "log_det") else {
      throw c.fail("transformed: the bijector is a record of forward, inverse and log_det")
    }
    weak var runtime = c.runtime.root
    let span = c.span
    func function(_ f: Value) -> (Value) throws -> Value {
      { x in
        guard let runtime else { throw RuntimeError("transformed: the interpreter that made this distribution is gone") }
        return try runtime.forCallFromAnyThread().call(f, [x], at: span)
      }
    }
    var fused: ((Value) throws -> (Value, Value))?
    if let k = names.firstIndex(of: "inverse_with_log_det") {
      let call = function(fields[k])
      fused = { y in
        guard case .tuple(let pair) = try call(y), pair.count == 2 else { throw RuntimeError("transformed: inverse_with_log_det must return a pair") }
        return (pair[0], pair[1])
      }
    }
    let values = ValueTransform(forward: function(fields[forward]), inverse: function(fields[inverse]),
                                logDeterminant: function(fields[logDet]), inverseWithLogDeterminant: fused)
    func plain(_ f: @escaping (Value) throws -> Value) -> (Tensor) throws -> Tensor {
      { t in try primalValue(try f(.tensor(t))).asTensor() }
    }
    let transform = Transform(forward: plain(values.forward), inverse: plain(values.inverse)) { z in
      try primalValue(try values.logDeterminant(.tensor(z))).asTensor().data.reduce(0, +)
    }
    return .trackedDist(TrackedDistribution(.transformed(base, transform), .transformed(base: baseValue, values)))
  }
}

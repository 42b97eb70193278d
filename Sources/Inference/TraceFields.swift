import Runtime

/// A trace's fields (`tr.retval`, `tr.score`, `tr.choices`, `tr.args`). The checker
/// turns a field of a value it knows is a trace into a call of `__trace_NAME`; a value
/// whose type is only known at run time is read by name through the same reader.
enum TraceField: String, CaseIterable {
  case retval, score, choices, args

  func read(_ trace: Trace) throws -> Value {
    switch self {
    case .retval:
      if trace.isPartial { throw RuntimeError("this trace is partial (an SMC particle between observations): it has no return value yet") }
      return trace.retval
    case .score: return trace.scoreValue
    case .choices: return .object(ChoiceMapObject(trace.choices))
    case .args: return trace.arguments.isEmpty ? .unit : .tuple(trace.arguments)
    }
  }
}

extension InferenceBuiltins {
  static func declareTraceFields(_ r: BuiltinRegistry) {
    let types: [TraceField: String] = [.retval: "r", .score: "Real", .choices: "ChoiceMap", .args: "any"]
    for field in TraceField.allCases {
      // `traces(post)` and `draw(post)` promise a `Trace[r]` whose r the checker cannot
      // tie to the model, so a return value is checked where it is read.
      r.declare("fn __trace_\(field.rawValue)(trace: Trace[r]) -> \(types[field] ?? "any")", checksResult: field == .retval) { a, c in
        try field.read(try trace(try a["trace"], c))
      }
    }
    r.registerProperty { object, name in
      guard let trace = object as? Trace, let field = TraceField(rawValue: name) else { return nil }
      return try field.read(trace)
    }
  }
}

import Runtime

/// Declares the builtins of traces, the generative function interface and inference.
public enum InferenceBuiltins {
  public static func declare(into r: BuiltinRegistry) {
    declareInterface(r)
    declareTraceFields(r)
    declareImportance(r)
    declareSMC(r)
    declareResults(r)
    declareMCMC(r)
    declareVariational(r)
    r.declare("fn __choicemap(entries: any...) -> ChoiceMap") { a, c in
      var map = ChoiceMap()
      let entries = a.values
      for i in stride(from: 0, to: entries.count - 1, by: 2) {
        guard let address = Address(value: entries[i]) else { throw c.fail("an address is a String, an Int, or a tuple of them") }
        guard map.insert(address, entries[i + 1]) else { throw c.fail("the address '\(address)' appears twice in the choice map") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.registerLookup { object, key in
      let map: ChoiceMap
      if let trace = object as? Trace { map = trace.choices } else if let cm = object as? ChoiceMapObject { map = cm.map } else { return nil }
      guard let address = Address(value: key) else { throw RuntimeError("an address is a String, an Int, or a tuple of them") }
      guard let v = map[address] else { throw RuntimeError("no choice at address '\(address)'") }
      return v
    }
  }

  /// A count of particles or draws: positive, and small enough that the results fit
  /// (one trace each).
  static func checkCount(_ n: Int, _ what: String, _ c: CallContext) throws {
    guard n > 0 else { throw c.fail("\(what) must be positive, got \(n)") }
    guard n <= Capacity.listElements else { throw c.fail("\(what) must be at most \(Capacity.listElements), got \(n)") }
  }

  /// A gen's argument tuple as a list of arguments.
  static func arguments(_ v: Value) -> [Value] {
    switch v {
    case .unit: return []
    case .tuple(let xs): return xs
    default: return [v]
    }
  }

  /// Runs a generative function under the simulate handler.
  public static func simulate(_ g: Closure, _ args: [Value], _ c: CallContext) throws -> Trace {
    try run(g, args, .simulate, c).trace
  }

  /// Runs a generative function under one mode of the GFI handler: the trace and weight.
  public static func run(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> (trace: Trace, weight: Double) {
    let result = try execute(g, args, mode, c)
    return (result.trace, try Differentiation.primal(result.weight))
  }

  /// What running a gen under the GFI gives: its trace, its weight, and the log-density
  /// of its fresh draws (propose's weight); the last two on the tape where differentiated.
  struct GFIResult {
    let trace: Trace
    let weight: Value
    let freshScore: Value
  }

  /// Runs a generative function under one mode of the GFI handler (or, for gens defined
  /// by their interface, under their own implementation).
  static func execute(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> GFIResult {
    if g.code.isInterfaceOnly {
      guard case .object(let o)? = g.captures.first, let custom = o as? InterfaceGen else {
        throw c.fail("internal: a gen without a body or an implementation")
      }
      return try custom.execute(g, args, mode, c)
    }
    var execution = try Execution(closure: g, arguments: args, context: c.runtime)
    let handler: GFIHandler
    let retval: Value?
    let truncation = mode.previous?.truncation
    if let truncation {
      var truncated = TruncatedHandler(GFIHandler(mode), truncation)
      if case .finished(let v) = try execution.run(&truncated, c.runtime) { retval = v } else { retval = nil }
      handler = truncated.inner
    } else {
      var plain = GFIHandler(mode)
      guard case .finished(let v) = try execution.run(&plain, c.runtime) else { throw c.fail("internal: the GFI handler suspended") }
      retval = v
      handler = plain
    }
    if let unused = handler.unusedConstraints().first {
      throw c.fail("the constraint at '\(unused)' was not used: the program made no choice there")
    }
    let trace = Trace(gen: g, arguments: args, retval: retval ?? .unit, score: handler.score, choices: handler.choices,
                      choiceScores: handler.choiceScores, choiceDistributions: handler.choiceDistributions,
                      truncation: truncation, isPartial: retval == nil, differentiableScore: handler.trackedScore.value)
    return GFIResult(trace: trace, weight: handler.differentiableWeight(), freshScore: handler.differentiableFreshScore)
  }

}

import Runtime

/// Declares the builtins of traces, the generative function interface and inference.
public enum InferenceBuiltins {
  public static func declare(into r: BuiltinRegistry) {
    declareInterface(r)
    declareTraceFields(r)
    declareImportance(r)
    declareSMC(r)
    declareResults(r)
    LOO.declare(r)
    declareMCMC(r)
    declareVariational(r)
    r.declare("fn __choicemap(entries: any...) -> ChoiceMap") { a, c in
      var map = ChoiceMap()
      let entries = a.values
      guard entries.count % 2 == 0 else { throw c.fail("internal: a choice map literal needs an address and a value per entry") }
      for i in stride(from: 0, to: entries.count, by: 2) {
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
}

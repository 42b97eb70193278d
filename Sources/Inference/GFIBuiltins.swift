import Runtime

/// The generative function interface as builtins (SPEC §6), over `GFIHandler`.
extension InferenceBuiltins {
  static func gen(_ v: Value, _ c: CallContext) throws -> Closure {
    guard case .closure(let g) = v, g.code.isGen else { throw c.fail("expected a gen, found \(v.typeName)") }
    return g
  }

  static func trace(_ v: Value, _ c: CallContext) throws -> Trace {
    guard case .object(let o) = v, let t = o as? Trace else { throw c.fail("expected a trace, found \(v.typeName)") }
    return t
  }

  static func choiceMap(_ v: Value, _ c: CallContext) throws -> ChoiceMap {
    guard case .object(let o) = v, let m = o as? ChoiceMapObject else { throw c.fail("expected a choice map, found \(v.typeName)") }
    return m.map
  }

  static func address(_ v: Value, _ c: CallContext) throws -> Address {
    guard let a = Address(value: v) else { throw c.fail("an address is a String, an Int, or a tuple of them; found \(v.typeName)") }
    return a
  }

  static func declareInterface(_ r: BuiltinRegistry) {
    r.declare("fn simulate(g: Gen[a -> r], args: a) -> Trace[r]") { a, c in
      .object(try simulate(try gen(try a["g"], c), arguments(try a["args"]), c))
    }
    r.declare("fn generate(g: Gen[a -> r], args: a, constraints: ChoiceMap) -> (Trace[r], Real)") { a, c in
      let result = try execute(try gen(try a["g"], c), arguments(try a["args"]), .generate(try choiceMap(try a["constraints"], c)), c)
      return .tuple([.object(result.trace), result.weight])
    }
    r.declare("fn assess(g: Gen[a -> r], args: a, choices: ChoiceMap) -> Real") { a, c in
      let given = try choiceMap(try a["choices"], c)
      let result = try execute(try gen(try a["g"], c), arguments(try a["args"]), .assess(given), c)
      if let extra = given.addresses.first(where: { !result.trace.choices.has($0) }) {
        throw c.fail("assess: the choice '\(extra)' was given but the program made no choice there")
      }
      return result.weight
    }
    r.declare("fn propose(g: Gen[a -> r], args: a) -> (ChoiceMap, Real, r)") { a, c in
      let result = try execute(try gen(try a["g"], c), arguments(try a["args"]), .simulate, c)
      return .tuple([.object(ChoiceMapObject(result.trace.choices)), result.freshScore, result.trace.retval])
    }
    r.declare("fn update(trace: Trace[r], args: a, constraints: ChoiceMap) -> (Trace[r], Real)") { a, c in
      let old = try trace(try a["trace"], c)
      let (t, w) = try run(old.gen, arguments(try a["args"]), .update(previous: old, constraints: try choiceMap(try a["constraints"], c)), c)
      return .tuple([.object(t), .real(w)])
    }
    r.declare("fn regenerate(trace: Trace[r], selection: Selection) -> (Trace[r], Real)") { a, c in
      let old = try trace(try a["trace"], c)
      let (t, w) = try run(old.gen, old.arguments, .regenerate(previous: old, selection: try selection(try a["selection"], c)), c)
      return .tuple([.object(t), .real(w)])
    }
    r.declare("fn select(addresses: Addr...) -> Selection") { a, c in
      .object(SelectionObject(Selection(addresses: Set(try a.values.map { try address($0, c) }))))
    }
    r.declare("fn select_all() -> Selection") { _, _ in .object(SelectionObject(Selection(all: true))) }
    r.declare("fn choicemap_from(addresses: List[a], values: List[b]) -> ChoiceMap") { a, c in
      let keys = try a.list("addresses"), values = try a.list("values")
      guard keys.count == values.count else { throw c.fail("choicemap_from: \(keys.count) addresses but \(values.count) values") }
      var map = ChoiceMap()
      for (k, v) in zip(keys, values) {
        guard map.insert(try address(k, c), v) else { throw c.fail("choicemap_from: the address '\(k)' appears twice") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.declare("fn has(choices: ChoiceMap, address: Addr) -> Bool") { a, c in
      .bool(try choiceMap(try a["choices"], c).has(try address(try a["address"], c)))
    }
    r.declare("fn merge(a: ChoiceMap, b: ChoiceMap) -> ChoiceMap") { a, c in
      var map = try choiceMap(try a["a"], c)
      let other = try choiceMap(try a["b"], c)
      for (k, v) in zip(other.addresses, other.values) {
        guard map.insert(k, v) else { throw c.fail("merge: both choice maps have the address '\(k)'") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.declare("fn addresses(choices: ChoiceMap) -> List[Addr]") { a, c in
      .list(try choiceMap(try a["choices"], c).addresses.map { .address($0) })
    }
  }

  static func selection(_ v: Value, _ c: CallContext) throws -> Selection {
    guard case .object(let o) = v, let s = o as? SelectionObject else { throw c.fail("expected a selection, found \(v.typeName)") }
    return s.selection
  }
}

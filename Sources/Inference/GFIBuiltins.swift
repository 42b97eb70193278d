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

  static func registerInterface(_ r: BuiltinRegistry) {
    r.register("generate(Gen[? -> ?], ?, ChoiceMap)") { a, c in
      let result = try execute(try gen(a[0], c), arguments(a[1]), .generate(try choiceMap(a[2], c)), c)
      return .tuple([.object(result.trace), result.weight])
    }
    r.register("assess(Gen[? -> ?], ?, ChoiceMap)") { a, c in
      let given = try choiceMap(a[2], c)
      let result = try execute(try gen(a[0], c), arguments(a[1]), .assess(given), c)
      if let extra = given.addresses.first(where: { !result.trace.choices.has($0) }) {
        throw c.fail("assess: the choice '\(extra)' was given but the program made no choice there")
      }
      return result.weight
    }
    r.register("propose(Gen[? -> ?], ?)") { a, c in
      let result = try execute(try gen(a[0], c), arguments(a[1]), .simulate, c)
      return .tuple([.object(ChoiceMapObject(result.trace.choices)), result.freshScore, result.trace.retval])
    }
    r.register("update(Trace[?], ?, ChoiceMap)") { a, c in
      let old = try trace(a[0], c)
      let (t, w) = try run(old.gen, arguments(a[1]), .update(previous: old, constraints: try choiceMap(a[2], c)), c)
      return .tuple([.object(t), .real(w)])
    }
    r.register("regenerate(Trace[?], Selection)") { a, c in
      let old = try trace(a[0], c)
      guard case .object(let o) = a[1], let s = o as? SelectionObject else { throw c.fail("expected a selection") }
      let (t, w) = try run(old.gen, old.arguments, .regenerate(previous: old, selection: s.selection), c)
      return .tuple([.object(t), .real(w)])
    }
    r.register("select(Addr)") { a, c in
      .object(SelectionObject(Selection(addresses: Set(try a.map { try address($0, c) }))))
    }
    r.register("select_all()") { _, _ in .object(SelectionObject(Selection(all: true))) }
    r.register("choicemap_from(List[?], List[?])") { a, c in
      let keys = try a[0].asList(), values = try a[1].asList()
      guard keys.count == values.count else { throw c.fail("choicemap_from: \(keys.count) addresses but \(values.count) values") }
      var map = ChoiceMap()
      for (k, v) in zip(keys, values) {
        guard map.insert(try address(k, c), v) else { throw c.fail("choicemap_from: the address '\(k)' appears twice") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.register("has(ChoiceMap, Addr)") { a, c in .bool(try choiceMap(a[0], c).has(try address(a[1], c))) }
    r.register("merge(ChoiceMap, ChoiceMap)") { a, c in
      var map = try choiceMap(a[0], c)
      let other = try choiceMap(a[1], c)
      for (k, v) in zip(other.addresses, other.values) {
        guard map.insert(k, v) else { throw c.fail("merge: both choice maps have the address '\(k)'") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.register("addresses(ChoiceMap)") { a, c in .list(try choiceMap(a[0], c).addresses.map { .address($0) }) }
  }
}

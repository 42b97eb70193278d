import IR
import Syntax

extension Checker {
  /// Replaces a signature's type parameters (negative variables) by fresh variables.
  mutating func instantiate(_ t: Type, _ map: inout [Int: Type]) -> Type {
    switch t {
    case .variable(let v) where v < 0:
      if let existing = map[v] { return existing }
      let f = fresh()
      map[v] = f
      return f
    case .tuple(let ts): return .tuple(ts.map { instantiate($0, &map) })
    case .list(let e): return .list(instantiate(e, &map))
    case .record(let ns, let ts): return .record(ns, ts.map { instantiate($0, &map) })
    case .function(let ps, let r): return .function(ps.map { instantiate($0, &map) }, instantiate(r, &map))
    case .gen(let a, let r): return .gen(instantiate(a, &map), instantiate(r, &map))
    case .dist(let e): return .dist(instantiate(e, &map))
    case .trace(let e): return .trace(instantiate(e, &map))
    default: return t
    }
  }

  /// Gives a declared function's type parameters fresh variables at one use.
  mutating func instantiateTypeParameters(_ t: Type) -> Type {
    var names: Set<String> = []
    _ = t.mapped { part in
      if case .opaque(let name) = part, Type.isTypeParameterName(name) { names.insert(name) }
      return part
    }
    if names.isEmpty { return t }
    var fresh: [String: Type] = [:]
    for name in names { fresh[name] = self.fresh() }
    return t.mapped { part in
      if case .opaque(let name) = part, let v = fresh[name] { return v }
      return part
    }
  }

  mutating func checkCall(_ callee: Expr, _ args: [Argument], _ span: Span) -> IRExpr {
    if case .name(let name) = callee.kind, case .builtin = lookup(name) {
      if name == "observe" || name == "factor" { return checkEffect(name, args, span) }
      return checkBuiltinCall(name, args, span)
    }
    if case .field(let base, "reinforce") = callee.kind {
      // `d.reinforce(baseline: b)`
      return checkBuiltinCall("__reinforce_baseline", [Argument(label: nil, value: base, span: base.span)] + args, span)
    }
    let f = checkExpr(callee)
    var fnType = solver.resolve(f.type)
    if case .variable = fnType {
      let guess = Type.function(args.map { _ in fresh() }, fresh())
      _ = solver.unify(f.type, guess)
      fnType = guess
    }
    switch fnType {
    case .function(let params, let result):
      var parameterNames: [String]?
      if case .global(let slot, _) = f.kind, let entry = globals.entries.values.first(where: { $0.slot == slot }) {
        parameterNames = entry.parameterNames
      }
      guard let ordered = orderArguments(args, labels: parameterNames, count: params.count, span) else { return poisoned(span) }
      let irArgs = zip(ordered, params).map { arg, param -> IRExpr in
        let a = checkExpr(arg.value, expected: param)
        expect(a.type, param, arg.value.span, "argument")
        return a
      }
      if case .global(let slot, let name) = f.kind, parameterNames != nil {
        return node(.callGlobal(slot, name, irArgs), result, span)
      }
      return node(.call(f, irArgs), result, span)
    case .gen:
      error("a gen cannot be called like a function", span,
            notes: ["inside a gen write `let x ~ \(callee.span.file?.slice(callee.span) ?? "g")(…)`; elsewhere use simulate(g, (…)).retval"])
      return poisoned(span)
    case .any:
      return node(.call(f, args.map { checkExpr($0.value) }), .any, span)
    default:
      error("cannot call a value of type \(show(fnType))", callee.span)
      return poisoned(span)
    }
  }

  /// Puts arguments in parameter order; labels must name parameters.
  mutating func orderArguments(_ args: [Argument], labels: [String]?, count: Int, _ span: Span) -> [Argument]? {
    var slots = [Argument?](repeating: nil, count: count)
    var next = 0
    for arg in args {
      if let label = arg.label {
        guard let labels, let i = labels.firstIndex(of: label) else {
          error("no parameter named '\(label)'", arg.span)
          return nil
        }
        if slots[i] != nil {
          error("argument '\(label)' given twice", arg.span)
          return nil
        }
        slots[i] = arg
      } else {
        while next < count && slots[next] != nil { next += 1 }
        guard next < count else {
          error("too many arguments: expected \(count)", arg.span)
          return nil
        }
        slots[next] = arg
      }
    }
    let ordered = slots.compactMap { $0 }
    if ordered.count != count {
      error("expected \(count) argument\(count == 1 ? "" : "s"), found \(args.count)", span)
      return nil
    }
    return ordered
  }

  mutating func checkEffect(_ name: String, _ args: [Argument], _ span: Span) -> IRExpr {
    if !context.allowsRandom {
      error("'\(name)' is only allowed inside a 'gen' or an 'expect' block", span)
    }
    let values = args.map { checkExpr($0.value) }
    if name == "factor" {
      guard values.count == 1 else {
        error("factor takes one argument, a log-weight", span)
        return poisoned(span)
      }
      expect(values[0].type, .real, values[0].span, "factor's log-weight")
      return node(.factor(values[0]), .unit, span)
    }
    guard values.count == 2 else {
      error("observe takes two arguments: a distribution and the observed value", span)
      return poisoned(span)
    }
    let element = fresh()
    expect(values[0].type, .dist(element), values[0].span, "observe's first argument")
    expect(values[1].type, element, values[1].span, "the observed value")
    return node(.observe(dist: values[0], value: values[1]), .unit, span)
  }

  mutating func checkBuiltinCall(_ name: String, _ args: [Argument], _ span: Span) -> IRExpr {
    let overloads = builtins[name] ?? []
    for arg in args {
      guard let label = arg.label else { continue }
      if !overloads.contains(where: { $0.parameters.contains { $0.label == label } }) {
        for a in args { _ = checkExpr(a.value) }
        error("'\(name)' has no parameter named '\(label)'", arg.span, notes: overloads.map(\.form))
        return poisoned(span)
      }
    }
    // Closure arguments wait until an overload is chosen, so their parameter types
    // come from the signature.
    var checked: [IRExpr?] = args.map { arg in
      if case .closure = arg.value.kind { return nil }
      return checkExpr(arg.value)
    }
    for sig in overloads {
      guard let slots = assign(args, to: sig) else { continue }
      var map: [Int: Type] = [:]
      let params = sig.parameters.map { instantiate($0.type, &map) }
      let result = instantiate(sig.result, &map)
      var trial = solver
      var fits = true
      for (p, argIndices) in slots.enumerated() {
        for i in argIndices {
          if let a = checked[i] {
            if !accepts(&trial, a.type, params[p]) { fits = false }
          } else if case .closure(let ps, let body) = args[i].value.kind {
            if case .function(let fps, let result) = trial.resolve(params[p]), fps.count == ps.count {
              // Overloads that differ in the closure's result (train's Expect and Real
              // objectives) are told apart by what the body visibly returns.
              if let hint = resultHint(body), !accepts(&trial, hint, result) { fits = false }
            } else {
              fits = false
            }
          }
        }
      }
      guard fits else { continue }
      solver = trial
      var irArgs: [IRExpr] = []
      for (p, argIndices) in slots.enumerated() {
        if argIndices.isEmpty, let value = sig.parameters[p].defaultValue {
          irArgs.append(node(.literal(value), params[p], span))
        }
        for i in argIndices {
          if checked[i] == nil {
            let c = checkExpr(args[i].value, expected: params[p])
            expect(c.type, params[p], args[i].value.span, "argument '\(sig.parameters[p].label)'")
            checked[i] = c
          }
          if let c = checked[i] { irArgs.append(c) }
        }
      }
      return node(.callBuiltin(name, id: sig.id, irArgs), result, span)
    }
    for i in checked.indices where checked[i] == nil { checked[i] = checkExpr(args[i].value) }
    let found = "(" + checked.compactMap { $0.map { show($0.type) } }.joined(separator: ", ") + ")"
    error("no form of '\(name)' accepts arguments \(found)", span,
          notes: overloads.map(\.form))
    return poisoned(span)
  }

  /// The type a closure body evidently returns, when that is clear without checking it:
  /// an `expect` block, or a call of a declared function with a concrete result.
  func resultHint(_ body: Expr) -> Type? {
    switch body.kind {
    case .expect: return .expectation
    case .block(let block):
      guard case .expr(let last)? = block.statements.last?.kind else { return nil }
      return resultHint(last)
    case .call(let callee, _):
      guard case .name(let name) = callee.kind, context.scopes.allSatisfy({ $0[name] == nil }),
            let entry = globals.entries[name], case .function(_, let result) = entry.type,
            result == .real || result == .expectation else { return nil }
      return result
    default: return nil
    }
  }

  /// Maps call arguments to a signature's parameters (argument indices per parameter),
  /// or nil when labels, counts or defaults do not fit.
  func assign(_ args: [Argument], to sig: BuiltinSignature) -> [[Int]]? {
    var slots = [[Int]](repeating: [], count: sig.parameters.count)
    var next = 0
    for (i, arg) in args.enumerated() {
      if let label = arg.label {
        guard let p = sig.parameters.firstIndex(where: { $0.label == label }), slots[p].isEmpty else { return nil }
        slots[p] = [i]
      } else {
        while next < sig.parameters.count && !slots[next].isEmpty && !(sig.variadic && next == sig.parameters.count - 1) {
          next += 1
        }
        guard next < sig.parameters.count else { return nil }
        slots[next].append(i)
      }
    }
    for (p, param) in sig.parameters.enumerated() where slots[p].isEmpty {
      if param.defaultValue == nil && !(sig.variadic && p == sig.parameters.count - 1) { return nil }
    }
    return slots
  }

  /// Whether an argument of type `actual` may be passed for a parameter of type `param`.
  func accepts(_ solver: inout Solver, _ actual: Type, _ param: Type) -> Bool {
    switch param {
    case .any: return true
    case .opaque("Addr"):
      switch solver.resolve(actual) {
      case .string, .int, .tuple, .variable, .any, .opaque("Addr"): return true
      default: return false
      }
    default:
      return solver.unify(actual, param)
    }
  }

  /// `let x ~ E @ A`: a draw from a distribution, or a traced call of a gen.
  mutating func checkChoice(source: Expr, address: Expr?, pattern: Pattern?, span: Span) -> IRExpr {
    if !context.allowsRandom {
      let notes = context.isMain || context.parent == nil ? [] : ["closures cannot make random choices; declare a 'gen' instead"]
      error("random choices are only allowed inside a 'gen' or an 'expect' block", span, notes: notes)
    }
    let addressNode: IRExpr
    if let address {
      addressNode = checkExpr(address)
      requireAddress(addressNode.type, address.span)
    } else if case .name(let name, let nameSpan)? = pattern {
      addressNode = node(.literal(.string(name)), .string, nameSpan)
    } else {
      error(pattern == nil ? "a random choice without a name needs an explicit address: ~ e @ \"name\""
                           : "a tuple pattern needs an explicit address: let (a, b) ~ e @ \"name\"", span)
      addressNode = node(.literal(.string("_")), .string, span)
    }
    if case .call(let callee, let args) = source.kind, case .name(let name) = callee.kind,
       let binding = lookup(name), isGenBinding(binding)
    {
      let g = checkExpr(callee)
      guard case .gen(let argTuple, let result) = solver.resolve(g.type),
            case .tuple(let params) = solver.resolve(argTuple) else { return poisoned(span) }
      var labels: [String]?
      if case .global(let entry) = binding { labels = entry.parameterNames }
      guard let ordered = orderArguments(args, labels: labels, count: params.count, source.span) else { return poisoned(span) }
      let irArgs = zip(ordered, params).map { arg, param -> IRExpr in
        let a = checkExpr(arg.value, expected: param)
        expect(a.type, param, arg.value.span, "argument")
        return a
      }
      return node(.tracedCall(gen: g, args: irArgs, address: addressNode), result, span)
    }
    let d = checkExpr(source)
    // A call that returns a gen of no arguments (`~ unfold(step, x0, T) @ "xs"`) is traced.
    if case .call = source.kind, case .gen(let argTuple, let result) = solver.resolve(d.type),
       solver.resolve(argTuple).isUnit
    {
      return node(.tracedCall(gen: d, args: [], address: addressNode), result, span)
    }
    let element = fresh()
    if !solver.unify(d.type, .dist(element)) {
      error("a random choice needs a distribution or a gen call, found \(show(d.type))", source.span)
    }
    return node(.choice(dist: d, address: addressNode), element, span)
  }

  func isGenBinding(_ binding: NameBinding) -> Bool {
    let type: Type
    switch binding {
    case .local(_, _, let t), .capture(_, let t): type = t
    case .global(let entry): type = entry.type
    default: return false
    }
    if case .gen = solver.resolve(type) { return true }
    return false
  }
}

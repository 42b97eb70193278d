import IR

extension Checker {
  /// Replaces every type in the unit's IR by its final form (defaults applied).
  mutating func finalizeTypes(_ function: IRFunction) {
    function.paramTypes = function.paramTypes.map { solver.finalize($0) }
    function.localTypes = function.localTypes.map { solver.finalize($0) }
    function.returnType = solver.finalize(function.returnType)
    function.captures = function.captures.map { ($0.name, $0.source, solver.finalize($0.type)) }
    finalize(function.body)
  }

  mutating func finalize(_ e: IRExpr) {
    e.type = solver.finalize(e.type)
    switch e.kind {
    case .literal, .local, .capture, .global, .builtinValue: break
    case .callBuiltin(_, _, let args), .list(let args), .tuple(let args), .record(_, let args):
      args.forEach { finalize($0) }
    case .call(let f, let args):
      finalize(f)
      args.forEach { finalize($0) }
    case .callGlobal(_, _, let args): args.forEach { finalize($0) }
    case .unary(_, let a), .field(let a, _, _), .factor(let a): finalize(a)
    case .binary(_, let a, let b), .range(let a, let b, _), .choice(let a, let b), .observe(let a, let b):
      finalize(a)
      finalize(b)
    case .ifElse(let c, let t, let f):
      finalize(c)
      finalize(t)
      if let f { finalize(f) }
    case .block(let stmts, let value):
      stmts.forEach { finalize($0) }
      if let value { finalize(value) }
    case .index(let b, let idx):
      finalize(b)
      idx.forEach { finalize($0) }
    case .closure(let f), .expect(let f): finalizeTypes(f)
    case .comprehension(let element, _, let iterable, let condition):
      finalize(element)
      finalize(iterable)
      if let condition { finalize(condition) }
    case .tracedCall(let g, let args, let address):
      finalize(g)
      args.forEach { finalize($0) }
      finalize(address)
    case .choicemap(let entries):
      for (k, v) in entries {
        finalize(k)
        finalize(v)
      }
    }
  }

  mutating func finalize(_ s: IRStmt) {
    switch s {
    case .bind(_, let e), .assignLocal(_, _, let e), .assignGlobal(_, _, let e), .expr(let e), .returnValue(let e, _):
      finalize(e)
    case .forLoop(_, let iter, let body, _):
      finalize(iter)
      body.forEach { finalize($0) }
    case .whileLoop(let c, let body, _):
      finalize(c)
      body.forEach { finalize($0) }
    case .breakLoop, .continueLoop: break
    }
  }
}

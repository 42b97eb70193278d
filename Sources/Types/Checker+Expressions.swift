import Foundation
import IR
import Syntax

extension Checker {
  mutating func checkExpr(_ expr: Expr, expected: Type? = nil) -> IRExpr {
    let span = expr.span
    switch expr.kind {
    case .int(let v): return node(.literal(.int(v)), fresh(.numericLiteral), span)
    case .real(let v): return node(.literal(.real(v)), .real, span)
    case .bool(let v): return node(.literal(.bool(v)), .bool, span)
    case .string(let v): return node(.literal(.string(v)), .string, span)
    case .unit: return node(.literal(.unit), .unit, span)

    case .name(let name):
      return checkName(name, span, expected: expected)

    case .unary(.not, let operand):
      let o = checkExpr(operand)
      expect(o.type, .bool, operand.span, "operand of '!'")
      return node(.unary(.not, o), .bool, span)

    case .unary(.negate, let operand):
      let o = checkExpr(operand)
      requireNumeric(o.type, operand.span, "operand of '-'", allowTensor: true)
      return node(.unary(.negate, o), o.type, span)

    case .binary(let op, let l, let r):
      return binaryNode(op, checkExpr(l), checkExpr(r), span)

    case .call(let callee, let args):
      return checkCall(callee, args, span)

    case .index(let base, let indices):
      return checkIndex(base, indices, span)

    case .field(let base, let name):
      return checkField(checkExpr(base), name, span)

    case .list(let elements):
      var elementType = fresh()
      if let expected, case .list(let e) = solver.resolve(expected) { elementType = e }
      let items = elements.map { e -> IRExpr in
        let item = checkExpr(e, expected: elementType)
        expect(item.type, elementType, e.span, "list elements must share one type")
        return item
      }
      return node(.list(items), .list(elementType), span)

    case .tuple(let elements):
      let items = elements.map { checkExpr($0) }
      return node(.tuple(items), .tuple(items.map(\.type)), span)

    case .record(let fields):
      var seen = Set<String>()
      for f in fields where !seen.insert(f.name).inserted {
        error("duplicate field '\(f.name)' in record", f.value.span)
      }
      let values = fields.map { checkExpr($0.value) }
      let type = Type.makeRecord(zip(fields.map(\.name), values.map(\.type)).map { ($0, $1) })
      return node(.record(fields.map(\.name), values), type, span)

    case .comprehension(let element, let pattern, let iterable, let condition):
      let iter = checkExpr(iterable)
      let elementType = self.elementType(of: iter, iterable.span)
      context.scopes.append([:])
      defer { context.scopes.removeLast() }
      let p = declarePattern(pattern, elementType, mutable: false)
      var c: IRExpr?
      if let condition {
        let cond = checkExpr(condition)
        expect(cond.type, .bool, condition.span, "a comprehension filter")
        c = cond
      }
      let e = checkExpr(element)
      return node(.comprehension(element: e, pattern: p, iterable: iter, condition: c), .list(e.type), span)

    case .closure(let params, let body):
      return checkClosure(params, body, span, expected: expected)

    case .ifElse(let condition, let then, let elseBranch):
      let c = checkExpr(condition)
      expect(c.type, .bool, condition.span, "an if condition")
      let t = checkBlock(then)
      guard let elseBranch else { return node(.ifElse(c, t, nil), .unit, span) }
      let e = checkExpr(elseBranch)
      if !solver.unify(t.type, e.type) {
        error("the branches of 'if' have different types: \(show(t.type)) and \(show(e.type))", span)
      }
      return node(.ifElse(c, t, e), t.type, span)

    case .block(let block):
      return checkBlock(block)

    case .range(let lo, let hi, let inclusive):
      let l = checkExpr(lo), h = checkExpr(hi)
      expect(l.type, .int, lo.span, "a range bound")
      expect(h.type, .int, hi.span, "a range bound")
      return node(.range(l, h, inclusive: inclusive), .list(.int), span)

    case .choicemap(let entries):
      let items = entries.map { entry -> (IRExpr, IRExpr) in
        let k = checkExpr(entry.key)
        requireAddress(k.type, entry.key.span)
        return (k, checkExpr(entry.value))
      }
      return node(.choicemap(items), .choiceMap, span)

    case .expect(let block):
      let ir = IRFunction(name: "<expect>", isGen: false, span: span, body: poisoned(span))
      ir.returnType = .real
      let saved = context
      context = FunctionContext(ir: ir, parent: saved, allowsRandom: true, isMain: false, returnType: .real)
      let body = checkBlock(block)
      expect(body.type, .real, lastSpan(block), "an expect block's value")
      ir.body = body
      context = saved
      return node(.expect(ir), .expectation, span)
    }
  }

  mutating func checkName(_ name: String, _ span: Span, expected: Type?) -> IRExpr {
    switch lookup(name) {
    case .local(let slot, _, let type): return node(.local(slot, name), type, span)
    case .capture(let index, let type): return node(.capture(index, name), type, span)
    case .global(let entry): return node(.global(entry.slot, name), instantiateTypeParameters(entry.type), span)
    case .constant(let name, let type):
      let value: Double = name == "pi" ? Double.pi : name == "inf" ? .infinity : .nan
      return node(.literal(.real(value)), type, span)
    case .builtin(let name):
      return builtinAsValue(name, span, expected: expected)
    case nil:
      error("unknown name '\(name)'", span, notes: suggestion(for: name))
      return poisoned(span)
    }
  }

  /// A builtin used as a value: picks the overload matching the expected function type.
  mutating func builtinAsValue(_ name: String, _ span: Span, expected: Type?) -> IRExpr {
    let overloads = builtins[name] ?? []
    for sig in overloads where !sig.variadic {
      var map: [Int: Type] = [:]
      let type = Type.function(sig.parameters.map { instantiate($0.type, &map) }, instantiate(sig.result, &map))
      if let expected {
        var trial = solver
        if !trial.unify(type, expected) { continue }
        solver = trial
      } else if overloads.count > 1 {
        break
      }
      return node(.builtinValue(name, id: sig.id), type, span)
    }
    error("'\(name)' is a builtin with several forms and cannot be used as a value here", span,
          notes: ["wrap it in a closure, e.g. |x| \(name)(x)"])
    return poisoned(span)
  }

  mutating func checkClosure(_ params: [Param], _ body: Expr, _ span: Span, expected: Type?) -> IRExpr {
    var expectedParams: [Type]?
    var expectedResult: Type?
    if let expected, case .function(let ps, let r) = solver.resolve(expected), ps.count == params.count {
      expectedParams = ps
      expectedResult = r
    }
    let ir = IRFunction(name: "<closure>", isGen: false, span: span, body: poisoned(span))
    let returnType = expectedResult ?? fresh()
    let saved = context
    context = FunctionContext(ir: ir, parent: saved, allowsRandom: false, isMain: false, returnType: returnType)
    for (i, p) in params.enumerated() {
      var type = p.type.map { resolveType($0) } ?? expectedParams?[i] ?? fresh()
      if let e = expectedParams?[i], p.type != nil {
        if !solver.unify(type, e) { error("closure parameter '\(p.name)' has type \(show(type)) where \(show(e)) is expected", p.span) }
        type = e
      }
      ir.paramNames.append(p.name)
      ir.paramTypes.append(type)
      _ = context.declareLocal(p.name, type, mutable: false)
    }
    let b = checkExpr(body)
    expect(b.type, returnType, body.span, "the closure's result")
    ir.body = b
    ir.returnType = returnType
    context = saved
    return node(.closure(ir), ir.type, span)
  }

  mutating func checkIndex(_ base: Expr, _ indices: [Expr], _ span: Span) -> IRExpr {
    let b = checkExpr(base)
    let idx = indices.map { checkExpr($0) }
    let result = fresh()
    let n = node(.index(b, idx), result, span)
    let isRange = indices.map { if case .range = $0.kind { return true } else { return false } }
    whenKnown(base.span, "cannot infer the type of the indexed value") { checker in
      let t = checker.solver.resolve(b.type)
      switch t {
      case .variable: return false
      case .list(let element):
        guard idx.count == 1 else {
          checker.error("a list takes one index", span)
          return true
        }
        if isRange[0] {
          checker.expect(result, t, span)
        } else {
          checker.expect(idx[0].type, .int, indices[0].span, "a list index")
          checker.expect(result, element, span)
        }
      case .tensor:
        for (i, index) in idx.enumerated() where !isRange[i] {
          checker.expect(index.type, .int, indices[i].span, "a tensor index")
        }
        checker.expect(result, isRange.contains(true) ? .tensor : checker.fresh(.realOrTensor), span)
      case .trace, .opaque("ChoiceMap"):
        guard idx.count == 1 else {
          checker.error("an address is one value; write a tuple (\"y\", i) for a path", span)
          return true
        }
        checker.requireAddress(idx[0].type, indices[0].span)
      case .any:
        break
      default:
        checker.error("cannot index a value of type \(checker.show(t))", base.span)
      }
      return true
    }
    return n
  }

  private static func isDist(_ t: Type) -> Bool {
    if case .dist = t { return true }
    return false
  }

  /// The gradient strategies written as fields of a distribution (`normal(0, 1).reparam`).
  static let strategyNames: Set<String> = ["reparam", "reinforce", "enum", "mvd"]

  mutating func checkField(_ base: IRExpr, _ name: String, _ span: Span) -> IRExpr {
    let result = fresh()
    let n = node(.field(base, -1, name), result, span)
    whenKnown(base.span, "cannot infer the type of the value whose field '\(name)' is read") { checker in
      let t = checker.solver.resolve(base.type)
      switch t {
      case .variable: return false
      case .record(let names, let types):
        if let i = names.firstIndex(of: name) {
          n.kind = .field(base, i, name)
          checker.expect(result, types[i], span)
        } else {
          checker.error("\(checker.show(t)) has no field '\(name)'", span,
                        notes: ["its fields are: " + names.joined(separator: ", ")])
        }
      case .trace(let r):
        // A trace's fields are read by internal builtins (`__trace_score`), not by name.
        let fields: [String: Type] = ["retval": r, "score": .real, "choices": .choiceMap, "args": .any]
        if let f = fields[name] {
          n.kind = checker.internalCall("__trace_" + name, [base], span)
          checker.expect(result, f, span)
        } else {
          checker.error("a trace has no field '\(name)'", span, notes: ["traces have retval, score, choices and args"])
        }
      case .dist(let e) where Checker.strategyNames.contains(name):
        n.kind = checker.internalCall("__" + name, [base], span)
        checker.expect(result, .dist(e), span)
      case .any:
        break
      default:
        checker.error("a value of type \(checker.show(t)) has no field '\(name)'", span,
                      notes: Checker.isDist(t) ? ["a distribution's gradient strategy is one of: .reparam, .reinforce, .enum, .mvd"] : [])
      }
      return true
    }
    return n
  }

  /// A call of a builtin the language's own forms stand for (`d.reparam` is `__reparam(d)`).
  mutating func internalCall(_ name: String, _ args: [IRExpr], _ span: Span) -> IRKind {
    guard let signature = builtins[name]?.first else {
      error("internal: the builtin '\(name)' is not declared", span)
      return .literal(.unit)
    }
    return .callBuiltin(name, id: signature.id, args)
  }

  /// Numeric operand checks happen once types are final.
  mutating func requireNumeric(_ t: Type, _ span: Span, _ what: String, allowTensor: Bool, allowString: Bool = false) {
    whenKnown(span, "cannot infer the type of the \(what)") { checker in
      let r = checker.solver.resolve(t)
      switch r {
      case .variable(let v) where checker.solver.kinds[v] == .general: return false
      case .variable, .int, .real, .any: return true
      case .tensor where allowTensor: return true
      case .string where allowString: return true
      default:
        checker.error("\(what) must be a number\(allowTensor ? " or a tensor" : ""), found \(checker.show(r))", span)
        return true
      }
    }
  }

  mutating func requireAddress(_ t: Type, _ span: Span) {
    func ok(_ t: Type) -> Bool {
      switch solver.resolve(t) {
      case .string, .int, .variable, .any, .opaque("Addr"): return true
      case .tuple(let ts): return !ts.isEmpty && ts.allSatisfy(ok)
      default: return false
      }
    }
    if !ok(t) {
      error("an address is a String, an Int, or a tuple of them; found \(show(t))", span)
    }
  }

  mutating func binaryNode(_ op: BinaryOp, _ l: IRExpr, _ r: IRExpr, _ span: Span) -> IRExpr {
    switch op {
    case .and, .or:
      expect(l.type, .bool, l.span, "operand of '\(op.rawValue)'")
      expect(r.type, .bool, r.span, "operand of '\(op.rawValue)'")
      return node(.binary(op, l, r), .bool, span)
    case .eq, .ne, .lt, .le, .gt, .ge:
      if !solver.unify(l.type, r.type) {
        error("cannot compare \(show(l.type)) with \(show(r.type))", span,
              notes: show(l.type) == "Int" || show(r.type) == "Int" ? ["an Int value becomes a Real with real(i)"] : [])
      } else if op != .eq && op != .ne {
        requireNumeric(l.type, span, "operand of '\(op.rawValue)'", allowTensor: false, allowString: true)
      }
      return node(.binary(op, l, r), .bool, span)
    case .add, .sub, .mul, .div, .mod, .pow:
      let a = solver.resolve(l.type), b = solver.resolve(r.type)
      if a == .tensor || b == .tensor {
        let other = a == .tensor ? r : l
        let o = solver.resolve(other.type)
        if o != .real && o != .tensor && o != .any && !solver.unify(other.type, solver.kind(of: o) == .general ? .tensor : .real) {
          error("cannot apply '\(op.rawValue)' to \(show(l.type)) and \(show(r.type))", span,
                notes: ["tensors combine with tensors and Reals; an Int value becomes a Real with real(i)"])
        }
        return node(.binary(op, l, r), .tensor, span)
      }
      if !solver.unify(l.type, r.type) {
        var notes: [String] = []
        if (a == .int && b == .real) || (a == .real && b == .int) { notes.append("an Int value becomes a Real with real(i)") }
        error("cannot apply '\(op.rawValue)' to \(show(l.type)) and \(show(r.type))", span, notes: notes)
        return node(.binary(op, l, r), .any, span)
      }
      requireNumeric(l.type, span, "operand of '\(op.rawValue)'", allowTensor: true, allowString: op == .add)
      return node(.binary(op, l, r), l.type, span)
    }
  }
}

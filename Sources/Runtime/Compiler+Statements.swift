import IR
import Syntax

extension Compiler {
  mutating func compile(_ s: IRStmt) throws {
    let mark = next
    defer { next = mark }
    switch s {
    case .bind(let pattern, let e):
      if case .slot(let slot, _) = pattern {
        try compileInto(local: slot, e)
      } else {
        try bind(pattern, try operand(e))
      }
    case .assignLocal(let slot, _, let e):
      // `xs = append(xs, x)` grows the list in place instead of copying it.
      if case .callBuiltin("append", _, let args) = e.kind, case .local(slot, _) = args[0].kind {
        span = e.span
        emit(.appendInPlace(slot, try operand(args[1])))
      } else {
        try compileInto(local: slot, e)
      }
    case .assignGlobal(let slot, _, let e):
      let r = try operand(e)
      span = e.span
      emit(.storeGlobal(slot, r))
    case .expr(let e):
      try compile(e, into: allocate())
    case .forLoop(let pattern, let iterable, let body, let loopSpan):
      span = loopSpan
      try compileLoop(pattern, iterable) { c in
        for s in body { try c.compile(s) }
      }
    case .whileLoop(let condition, let body, let loopSpan):
      span = loopSpan
      let top = here
      let c = try operand(condition)
      let exit = here
      emit(.jumpIfFalse(c, -1))
      loops.append(Loop())
      for s in body { try compile(s) }
      span = loopSpan
      emit(.loop(top))
      let loop = loops.removeLast()
      patch(exit, to: here)
      for j in loop.breaks { patch(j, to: here) }
      for j in loop.continues { patch(j, to: top) }
    case .breakLoop:
      loops[loops.count - 1].breaks.append(here)
      emit(.jump(-1))
    case .continueLoop:
      loops[loops.count - 1].continues.append(here)
      emit(.jump(-1))
    case .returnValue(let e, let returnSpan):
      let r = try operand(e)
      span = returnSpan
      emit(.ret(r))
    }
  }

  /// Writes `e` into a local's register. Expressions that read their operands before
  /// writing go straight in; others go through a temporary so that reads of the old
  /// value (`flag = other && flag`) see it.
  mutating func compileInto(local slot: Int, _ e: IRExpr) throws {
    switch e.kind {
    case .literal, .local, .capture, .global, .callBuiltin, .call, .callGlobal, .unary, .choice, .tracedCall:
      try compile(e, into: slot)
    case .binary(let op, _, _) where op != .and && op != .or:
      try compile(e, into: slot)
    default:
      let t = allocate()
      try compile(e, into: t)
      emit(.move(slot, t))
    }
  }

  /// Destructures the value in register `r` into a pattern's slots.
  mutating func bind(_ pattern: IRPattern, _ r: Int) throws {
    switch pattern {
    case .slot(let slot, _):
      if slot != r { emit(.move(slot, r)) }
    case .ignore:
      break
    case .tuple(let parts):
      for (i, part) in parts.enumerated() {
        let t = allocate()
        emit(.field(t, r, i))
        try bind(part, t)
      }
    }
  }

  /// Emits a loop over a range (counting in registers), a list or a tensor's rows;
  /// `body` emits the loop body with the pattern bound.
  mutating func compileLoop(_ pattern: IRPattern, _ iterable: IRExpr, body: (inout Compiler) throws -> Void) throws {
    let loopSpan = span
    if case .range(let lo, let hi, let inclusive) = iterable.kind {
      let counter = allocate(), end = allocate()
      try compile(lo, into: counter)
      try compile(hi, into: end)
      if inclusive {
        try compileInclusiveRangeLoop(pattern, counter, end, body: body)
        return
      }
      let top = here
      emit(.jumpUnlessLessInt(counter, end, -1))
      try bind(pattern, counter)
      loops.append(Loop())
      try body(&self)
      let loop = loops.removeLast()
      let increment = here
      span = loopSpan
      emit(.incrementInt(counter))
      emit(.loop(top))
      patch(top, to: here)
      for j in loop.breaks { patch(j, to: here) }
      for j in loop.continues { patch(j, to: increment) }
      return
    }
    try compileCollectionLoop(pattern, iterable, body: body)
  }

  /// `for i in lo...hi`: tested `i <= hi` once, then `i < hi` after each pass, so the
  /// loop ends at hi without computing hi + 1 (which overflows at Int.max).
  mutating func compileInclusiveRangeLoop(_ pattern: IRPattern, _ counter: Int, _ end: Int,
                                          body: (inout Compiler) throws -> Void) throws {
    let loopSpan = span, test = allocate()
    emit(.lessEqualInt(test, counter, end))
    let enter = here
    emit(.jumpIfFalse(test, -1))
    let top = here
    try bind(pattern, counter)
    loops.append(Loop())
    try body(&self)
    let loop = loops.removeLast()
    let next = here
    span = loopSpan
    emit(.lessInt(test, counter, end))
    let last = here
    emit(.jumpIfFalse(test, -1))
    emit(.incrementInt(counter))
    emit(.loop(top))
    for j in [enter, last] + loop.breaks { patch(j, to: here) }
    for j in loop.continues { patch(j, to: next) }
  }

  mutating func compileCollectionLoop(_ pattern: IRPattern, _ iterable: IRExpr, body: (inout Compiler) throws -> Void) throws {
    let loopSpan = span
    let collection = allocate(), counter = allocate()
    try compile(iterable, into: collection)
    emit(.loadInt(counter, 0))
    var element: Int
    if case .slot(let slot, _) = pattern { element = slot } else { element = allocate() }
    let top = here
    emit(.iterate(element, collection, counter, -1))
    if iterable.type == .tensor, case .slot(let slot, _) = pattern, let check = DynamicType(ir.localTypes[slot]) {
      code.typeChecks.append(check)
      emit(.checkType(element, code.typeChecks.count - 1))
    }
    if case .slot = pattern {} else { try bind(pattern, element) }
    loops.append(Loop())
    try body(&self)
    let loop = loops.removeLast()
    span = loopSpan
    emit(.loop(top))
    patch(top, to: here)
    for j in loop.breaks { patch(j, to: here) }
    for j in loop.continues { patch(j, to: top) }
  }
}

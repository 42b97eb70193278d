import IR
import Syntax
import Types

/// Compiles typed IR into machine code: local slots become registers, temporaries are
/// allocated above them, operators are specialized by their operand types, and
/// builtins are bound to their implementations.
public struct Compiler {
  let code: Code
  let ir: IRFunction
  let registry: BuiltinRegistry
  var next: Int
  var loops: [Loop] = []
  var span: Span

  struct Loop {
    var breaks: [Int] = []
    var continues: [Int] = []
  }

  /// Compiles a function (and the closures inside it).
  public static func compile(_ function: IRFunction, builtins: BuiltinRegistry) throws -> Code {
    let code = Code(name: function.name, isGen: function.isGen, span: function.span, parameterCount: function.paramNames.count)
    var compiler = Compiler(code: code, ir: function, registry: builtins, next: function.localNames.count, span: function.span)
    code.registerCount = function.localNames.count
    let result = compiler.allocate()
    try compiler.compile(function.body, into: result)
    compiler.span = function.span
    compiler.emit(.ret(result))
    code.seal()
    return code
  }

  // MARK: Emission and registers

  mutating func emit(_ instruction: Instruction) {
    code.instructions.append(instruction)
    code.spans.append(span)
  }

  var here: Int { code.instructions.count }

  mutating func patch(_ at: Int, to target: Int) {
    switch code.instructions[at] {
    case .jump: code.instructions[at] = .jump(target)
    case .jumpIfFalse(let c, _): code.instructions[at] = .jumpIfFalse(c, target)
    case .jumpIfTrue(let c, _): code.instructions[at] = .jumpIfTrue(c, target)
    case .jumpUnlessLessInt(let a, let b, _): code.instructions[at] = .jumpUnlessLessInt(a, b, target)
    case .iterate(let d, let c, let i, _): code.instructions[at] = .iterate(d, c, i, target)
    default: break  // unreachable: only jumps are patched
    }
  }

  mutating func allocate(_ count: Int = 1) -> Int {
    let r = next
    next += count
    code.registerCount = max(code.registerCount, next)
    return r
  }

  mutating func constant(_ v: Value) -> Int {
    code.constants.append(v)
    return code.constants.count - 1
  }

  /// The declaration of a builtin the checker resolved.
  func declaration(_ name: String, _ id: Int) throws -> Builtin {
    guard let builtin = registry.builtin(id), builtin.signature.name == name else {
      throw RuntimeError("internal: builtin '\(name)' has no implementation", at: span)
    }
    return builtin
  }

  /// The index in `code.builtins` of a builtin's function.
  mutating func builtin(_ builtin: Builtin) -> Int {
    code.builtins.append(builtin.function())
    return code.builtins.count - 1
  }

  /// The register holding `e`'s value: a local's own register, or a new temporary.
  mutating func operand(_ e: IRExpr) throws -> Int {
    if case .local(let slot, _) = e.kind { return slot }
    let r = allocate()
    try compile(e, into: r)
    return r
  }

  /// Evaluates expressions into consecutive new registers; returns the first.
  mutating func consecutive(_ es: [IRExpr]) throws -> Int {
    let start = allocate(es.count)
    for (i, e) in es.enumerated() { try compile(e, into: start + i) }
    return start
  }

  // MARK: Expressions

  mutating func compile(_ e: IRExpr, into dst: Int) throws {
    let mark = next
    let outer = span
    span = e.span
    defer {
      next = mark
      span = outer
    }
    switch e.kind {
    case .literal(let l):
      switch l {
      case .int(let v): emit(e.type == .real ? .loadReal(dst, Double(v)) : .loadInt(dst, v))
      case .real(let v): emit(.loadReal(dst, v))
      case .bool(let v): emit(.loadConst(dst, constant(.bool(v))))
      case .string(let v): emit(.loadConst(dst, constant(.string(v))))
      case .unit: emit(.loadConst(dst, constant(.unit)))
      }
    case .local(let slot, _):
      if slot != dst { emit(.move(dst, slot)) }
    case .capture(let i, _): emit(.loadCapture(dst, i))
    case .global(let slot, _): emit(.loadGlobal(dst, slot))
    case .builtinValue(let name, let id):
      emit(.loadConst(dst, constant(.builtin(try declaration(name, id).function()))))
    case .callBuiltin(let name, let id, let args):
      let declared = try declaration(name, id)
      if let intrinsic = declared.intrinsic, args.count == 1 {
        emit(.intrinsic(intrinsic, dst, try operand(args[0])))
        return
      }
      let start = try consecutive(args)
      emit(.callBuiltin(dst, builtin(declared), start, args.count))
      if declared.checksResult, let check = DynamicType(e.type) {
        code.typeChecks.append(check)
        emit(.checkType(dst, code.typeChecks.count - 1))
      }
    case .call(let f, let args):
      let fr = try operand(f)
      let start = try consecutive(args)
      emit(.call(dst, fr, start, args.count))
    case .callGlobal(let slot, _, let args):
      let start = try consecutive(args)
      emit(.callGlobal(dst, slot, start, args.count))
    case .unary(let op, let a):
      let r = try operand(a)
      emit(op == .not ? .not(dst, r) : .negate(dst, r))
    case .binary(let op, let a, let b):
      try compileBinary(op, a, b, into: dst)
    case .ifElse(let c, let t, let f):
      let cr = try operand(c)
      let toElse = here
      emit(.jumpIfFalse(cr, -1))
      try compile(t, into: dst)
      let toEnd = here
      emit(.jump(-1))
      patch(toElse, to: here)
      if let f { try compile(f, into: dst) } else { emit(.loadConst(dst, constant(.unit))) }
      patch(toEnd, to: here)
    case .block(let stmts, let value):
      for s in stmts { try compile(s) }
      if let value { try compile(value, into: dst) } else { emit(.loadConst(dst, constant(.unit))) }
    case .list(let xs):
      emit(.makeList(dst, try consecutive(xs), xs.count))
    case .tuple(let xs):
      emit(.makeTuple(dst, try consecutive(xs), xs.count))
    case .record(let names, let values):
      let temps = try values.map { try operand($0) }
      guard case .record(let sortedNames, _) = e.type else { throw RuntimeError("internal: record without record type", at: span) }
      let start = allocate(names.count)
      for (j, name) in sortedNames.enumerated() {
        if let i = names.firstIndex(of: name) { emit(.move(start + j, temps[i])) }
      }
      emit(.makeRecord(dst, start, names.count, constant(.list(sortedNames.map { .string($0) }))))
    case .field(let base, let i, let name):
      let r = try operand(base)
      if i >= 0 { emit(.field(dst, r, i)) } else { emit(.property(dst, r, constant(.string(name)))) }
    case .index(let base, let indices):
      let b = try operand(base)
      let start = try consecutive(indices)
      emit(.index(dst, b, start, indices.count))
      if base.type != .list(e.type), let check = DynamicType(e.type) {
        code.typeChecks.append(check)
        emit(.checkType(dst, code.typeChecks.count - 1))
      }
    case .range(let lo, let hi, let inclusive):
      emit(.range(dst, try operand(lo), try operand(hi), inclusive))
    case .closure(let f), .expect(let f):
      try compileClosure(f, into: dst)
    case .comprehension(let element, let pattern, let iterable, let condition):
      let acc = allocate()
      emit(.makeList(acc, 0, 0))
      try compileLoop(pattern, iterable) { c in
        var skip: Int?
        if let condition {
          let cr = try c.operand(condition)
          skip = c.here
          c.emit(.jumpIfFalse(cr, -1))
        }
        let v = try c.operand(element)
        c.emit(.appendInPlace(acc, v))
        if let skip { c.loops[c.loops.count - 1].continues.append(skip) }
      }
      emit(.move(dst, acc))
    case .choice(let dist, let address):
      emit(.choice(dst, try operand(dist), try operand(address)))
    case .tracedCall(let gen, let args, let address):
      let g = try operand(gen)
      let start = try consecutive(args)
      emit(.tracedCall(dst, g, start, args.count, try operand(address)))
    case .observe(let dist, let value):
      emit(.observe(try operand(dist), try operand(value)))
      emit(.loadConst(dst, constant(.unit)))
    case .factor(let w):
      emit(.factor(try operand(w)))
      emit(.loadConst(dst, constant(.unit)))
    case .choicemap(let entries):
      let start = try consecutive(entries.flatMap { [$0.0, $0.1] })
      guard let declared = registry.builtin(named: "__choicemap") else {
        throw RuntimeError("internal: builtin '__choicemap' has no implementation", at: span)
      }
      emit(.callBuiltin(dst, builtin(declared), start, entries.count * 2))
    }
  }

  mutating func compileBinary(_ op: BinaryOp, _ a: IRExpr, _ b: IRExpr, into dst: Int) throws {
    if op == .and || op == .or {
      let t = allocate()
      try compile(a, into: t)
      let skip = here
      emit(op == .and ? .jumpIfFalse(t, -1) : .jumpIfTrue(t, -1))
      try compile(b, into: t)
      patch(skip, to: here)
      emit(.move(dst, t))
      return
    }
    let x = try operand(a), y = try operand(b)
    let isInt = a.type == .int && b.type == .int
    let isReal = a.type == .real && b.type == .real
    switch op {
    case .add where isInt: emit(.addInt(dst, x, y))
    case .sub where isInt: emit(.subInt(dst, x, y))
    case .mul where isInt: emit(.mulInt(dst, x, y))
    case .add where isReal: emit(.addReal(dst, x, y))
    case .sub where isReal: emit(.subReal(dst, x, y))
    case .mul where isReal: emit(.mulReal(dst, x, y))
    case .div where isReal: emit(.divReal(dst, x, y))
    case .lt where isInt: emit(.lessInt(dst, x, y))
    case .gt where isInt: emit(.lessInt(dst, y, x))
    case .le where isInt: emit(.lessEqualInt(dst, x, y))
    case .ge where isInt: emit(.lessEqualInt(dst, y, x))
    case .lt where isReal: emit(.lessReal(dst, x, y))
    case .gt where isReal: emit(.lessReal(dst, y, x))
    case .le where isReal: emit(.lessEqualReal(dst, x, y))
    case .ge where isReal: emit(.lessEqualReal(dst, y, x))
    case .eq: emit(.equal(dst, x, y))
    case .ne: emit(.notEqual(dst, x, y))
    default: emit(.binary(op, dst, x, y))
    }
  }

  mutating func compileClosure(_ f: IRFunction, into dst: Int) throws {
    let child = try Compiler.compile(f, builtins: registry)
    code.children.append(child)
    let start = allocate(f.captures.count)
    for (i, c) in f.captures.enumerated() {
      switch c.source {
      case .local(let slot): emit(.move(start + i, slot))
      case .capture(let j): emit(.loadCapture(start + i, j))
      case .global(let slot): emit(.loadGlobal(start + i, slot))
      }
    }
    emit(.makeClosure(dst, code.children.count - 1, start, f.captures.count))
  }
}

extension DynamicType {
  /// The run-time check for a statically known type; nil where nothing is checked.
  public init?(_ t: Type) {
    switch t {
    case .int: self = .int
    case .real: self = .real
    case .bool: self = .bool
    case .string: self = .string
    case .tensor: self = .tensor
    case .list: self = .list
    case .tuple(let ts): self = .tuple(ts.count)
    case .record: self = .record
    case .function: self = .function
    case .gen: self = .gen
    case .dist: self = .dist
    default: return nil
    }
  }
}

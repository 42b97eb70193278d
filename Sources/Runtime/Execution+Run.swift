import Distributions
import Syntax
import Tensor

extension Execution {
  /// Runs until the program finishes or the handler suspends it.
  public mutating func run<H: Handler>(_ handler: inout H, _ context: RuntimeContext) throws -> RunOutcome {
    guard let top = frames.last else { return .finished(.unit) }
    if !isKnownUniquelyReferenced(&registers) { registers = registers.copy() }
    let file = registers
    unowned(unsafe) var code = top.code
    var ip = code.instructionBuffer!  // unreachable: every Code is sealed by the compiler
    var pc = top.pc
    var base = top.base
    var r = file.base + base
    var budget = StepBudget(context)
    context.nesting += 1
    let frame = StackGuard.here(), outerFrame = context.runFrame
    context.runFrame = frame
    defer {
      context.runFrame = outerFrame
      context.nesting -= 1
      budget.settle(context)
    }
    if context.nesting > RuntimeContext.maxNesting || (context.nesting > 1 && StackGuard.isLow(context, at: frame, previous: outerFrame)) {
      throw annotate(RuntimeError("maximum call depth exceeded (nested calls through builtins)"), pc: pc + 1)
    }

    func span() -> Span { code.spans[pc - 1] }

    /// Enters `closure` with arguments at absolute register `start`.
    func enter(_ closure: Unmanaged<Closure>, _ start: Int, _ count: Int, _ returnRegister: Int, _ prefix: Int, owned: Bool) throws {
      unowned(unsafe) let callee = closure._withUnsafeGuaranteedRef { $0.code }
      try context.checkEntry(callee, arguments: count, depth: frames.count)
      try budget.spend(1, context)
      frames[frames.count - 1].pc = pc
      let newBase = file.count
      file.grow(by: max(callee.registerCount, count))
      let b = file.base
      for i in 0..<count { b[newBase + i] = b[start + i] }
      closures.append(owned ? closure.takeUnretainedValue() : nil)
      frames.append(Frame(closure: closure, pc: 0, base: newBase, returnRegister: returnRegister, prefix: prefix))
      code = callee
      ip = callee.instructionBuffer!  // unreachable: every Code is sealed by the compiler
      pc = 0
      base = newBase
      r = b + newBase
    }

    do {
      while true {
        let instruction = ip[pc]
        pc += 1
        switch instruction {
        case .loadConst(let d, let k): r[d] = code.constants[k]
        case .loadInt(let d, let v): r[d] = .int(v)
        case .loadReal(let d, let v): r[d] = .real(v)
        case .move(let d, let s): r[d] = r[s]
        case .loadGlobal(let d, let slot): r[d] = context.globals[slot]
        case .storeGlobal(let slot, let s): context.globals[slot] = r[s]
        case .loadCapture(let d, let i): r[d] = frames[frames.count - 1].closure._withUnsafeGuaranteedRef { $0.captures[i] }

        case .addInt(let d, let a, let b):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          let (result, overflow) = x.addingReportingOverflow(y)
          if overflow { throw RuntimeError("integer overflow in '+'") }
          r[d] = .int(result)
        case .subInt(let d, let a, let b):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          let (result, overflow) = x.subtractingReportingOverflow(y)
          if overflow { throw RuntimeError("integer overflow in '-'") }
          r[d] = .int(result)
        case .mulInt(let d, let a, let b):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          let (result, overflow) = x.multipliedReportingOverflow(by: y)
          if overflow { throw RuntimeError("integer overflow in '*'") }
          r[d] = .int(result)
        case .addReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.add, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .real(x + y)
        case .subReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.sub, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .real(x - y)
        case .mulReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.mul, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .real(x * y)
        case .divReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.div, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .real(x / y)
        case .lessInt(let d, let a, let b):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          r[d] = .bool(x < y)
        case .lessEqualInt(let d, let a, let b):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          r[d] = .bool(x <= y)
        case .lessReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.lt, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .bool(x < y)
        case .lessEqualReal(let d, let a, let b):
          guard case .real(let x) = r[a], case .real(let y) = r[b] else {
            r[d] = try Operations.binary(.le, r[a], r[b])  // differentiated values
            continue
          }
          r[d] = .bool(x <= y)
        case .equal(let d, let a, let b):
          r[d] = .bool(Operations.equal(r[a], r[b]))
        case .notEqual(let d, let a, let b):
          r[d] = .bool(!Operations.equal(r[a], r[b]))
        case .binary(let op, let d, let a, let b):
          r[d] = try Operations.binary(op, r[a], r[b])
        case .negate(let d, let a):
          r[d] = try Operations.negate(r[a])
        case .intrinsic(let f, let d, let a):
          r[d] = try Operations.intrinsic(f, r[a])
        case .not(let d, let a):
          guard case .bool(let x) = r[a] else { throw Operations.mismatch }
          r[d] = .bool(!x)

        case .jump(let target): pc = target
        case .loop(let target):
          try budget.spend(1, context)
          pc = target
        case .jumpIfFalse(let c, let target):
          if case .bool(false) = r[c] { pc = target }
        case .jumpIfTrue(let c, let target):
          if case .bool(true) = r[c] { pc = target }
        case .jumpUnlessLessInt(let a, let b, let target):
          guard case .int(let x) = r[a], case .int(let y) = r[b] else { throw Operations.mismatch }
          if !(x < y) { pc = target }
        case .incrementInt(let i):
          guard case .int(let x) = r[i] else { throw Operations.mismatch }
          r[i] = .int(x &+ 1)

        case .call(let d, let f, let start, let count):
          switch r[f] {
          case .closure(let closure):
            try enter(.passUnretained(closure), base + start, count, base + d, frames[frames.count - 1].prefix, owned: true)
          case .builtin(let b):
            let args = Array(UnsafeBufferPointer(start: r + start, count: count))
            r[d] = try b.body(args, CallContext(runtime: context, span: span()))
          case let other:
            throw RuntimeError("cannot call a value of type \(other.typeName)")
          }
        case .callGlobal(let d, let slot, let start, let count):
          guard case .closure(let closure) = context.globals[slot] else {
            throw RuntimeError("'\(code.name)' called a global that is not a function")
          }
          if context.patchesCode { code.patch(pc - 1, .callKnown(d, .passUnretained(closure), start, count)) }
          try enter(.passUnretained(closure), base + start, count, base + d, frames[frames.count - 1].prefix, owned: false)
        case .callKnown(let d, let callee, let start, let count):
          try enter(callee, base + start, count, base + d, frames[frames.count - 1].prefix, owned: false)
        case .callBuiltin(let d, let k, let start, let count):
          let args = Array(UnsafeBufferPointer(start: r + start, count: count))
          r[d] = try code.builtins[k].body(args, CallContext(runtime: context, span: span()))
        case .ret(let v):
          let value = r[v]
          let top = frames.count - 1
          let doneBase = frames[top].base, returnRegister = frames[top].returnRegister
          frames.removeLast()
          closures.removeLast()
          file.shrink(to: doneBase)
          if top == 0 {
            file.clear()
            return .finished(value)
          }
          file.base[returnRegister] = value
          code = frames[top - 1].code
          ip = code.instructionBuffer!  // unreachable: every Code is sealed by the compiler
          pc = frames[top - 1].pc
          base = frames[top - 1].base
          r = file.base + base

        case .makeList(let d, let start, let count):
          r[d] = .list(Array(UnsafeBufferPointer(start: r + start, count: count)))
        case .makeTuple(let d, let start, let count):
          r[d] = count == 0 ? .unit : .tuple(Array(UnsafeBufferPointer(start: r + start, count: count)))
        case .makeRecord(let d, let start, let count, let k):
          guard case .list(let names) = code.constants[k] else { throw Operations.mismatch }
          r[d] = .record(names: names.map { if case .string(let s) = $0 { return s } else { return "" } },
                                    values: Array(UnsafeBufferPointer(start: r + start, count: count)))
        case .makeClosure(let d, let child, let start, let count):
          r[d] = .closure(Closure(code: code.children[child], captures: Array(UnsafeBufferPointer(start: r + start, count: count))))
        case .field(let d, let s, let i):
          switch r[s] {
          case .record(_, let values): r[d] = values[i]
          case .tuple(let values): r[d] = values[i]
          default: throw Operations.mismatch
          }
        case .property(let d, let s, let k):
          guard case .string(let name) = code.constants[k] else { throw Operations.mismatch }
          r[d] = try context.builtins.property(r[s], name)
        case .index(let d, let b, let start, let count):
          r[d] = try Operations.index(r[b], Array(UnsafeBufferPointer(start: r + start, count: count)), context)
        case .checkType(let i, let k):
          let expected = code.typeChecks[k]
          if case .tensor(let t) = r[i], t.rank == 0, case .real = expected {
            r[i] = .real(t.data[0])
          }
          if !expected.admits(r[i]) {
            throw RuntimeError("expected a value of type \(expected.name) here, found \(r[i].typeName)")
          }
        case .iterate(let d, let c, let counter, let exit):
          guard case .int(let i) = r[counter] else { throw Operations.mismatch }
          guard let next = try Operations.element(r[c], i, context) else { pc = exit; continue }
          r[d] = next
          r[counter] = .int(i + 1)
        case .appendInPlace(let l, let v):
          let item = r[v]
          guard case .list(var xs) = r[l] else { throw Operations.mismatch }
          try Capacity.checkAppend(xs.count + 1)
          r[l] = .unit  // drop the register's reference so `xs` is unique
          xs.append(item)
          r[l] = .list(xs)
        case .range(let d, let lo, let hi, let inclusive):
          r[d] = try Operations.range(r[lo], r[hi], inclusive: inclusive)

        case .choice(let d, let dr, let ar):
          let address = prefixes[frames[frames.count - 1].prefix].appending(try Operations.address(r[ar]))
          switch try handler.choice(at: address, distribution: r[dr], context) {
          case .value(let v): r[d] = v
          case .suspend:
            frames[frames.count - 1].pc = pc
            pendingRegister = base + d
            return .suspended(.choice(address, try Autodiff.primal(r[dr])))
          }
        case .tracedCall(let d, let g, let start, let count, let ar):
          guard case .closure(let closure) = r[g] else { throw Operations.mismatch }
          let address = prefixes[frames[frames.count - 1].prefix].appending(try Operations.address(r[ar]))
          if closure.code.isInterfaceOnly {
            // No code to enter: the handler runs the gen's interface.
            let arguments = (0..<count).map { r[start + $0] }
            r[d] = try handler.tracedCall(at: address, interfaceGen: closure, arguments: arguments, CallContext(runtime: context, span: span()))
          } else {
            prefixes.append(address)
            try enter(.passUnretained(closure), base + start, count, base + d, prefixes.count - 1, owned: true)
          }
        case .observe(let dr, let vr):
          let prefix = prefixes[frames[frames.count - 1].prefix]
          if !(try handler.observe(distribution: r[dr], r[vr], at: prefix, context)) {
            frames[frames.count - 1].pc = pc
            return .suspended(.scored(prefix))
          }
        case .factor(let wr):
          let prefix = prefixes[frames[frames.count - 1].prefix]
          if !(try handler.factor(weight: r[wr], at: prefix, context)) {
            frames[frames.count - 1].pc = pc
            return .suspended(.scored(prefix))
          }
        }
      }
    } catch {
      throw annotate(error, pc: pc)
    }
  }
}

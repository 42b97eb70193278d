import Distributions
import Syntax
import Tensor

extension Execution {
  /// Runs until the program finishes or the handler suspends it.
  public mutating func run<H: Handler>(_ handler: inout H, _ context: RuntimeContext) throws -> RunOutcome {
    guard var frame = frames.last else { return .finished(.unit) }
    var code = frame.closure.code
    var instructions = code.instructions
    var pc = frame.pc
    var base = frame.base
    var budget = context.limits.maxSteps.map { $0 - context.steps } ?? Int.max
    let startBudget = budget
    context.nesting += 1
    defer {
      context.nesting -= 1
      if context.limits.maxSteps != nil { context.steps += startBudget - budget }
    }
    if context.nesting > RuntimeContext.maxNesting {
      throw annotate(RuntimeError("maximum call depth exceeded (nested calls through builtins)"), pc: pc + 1)
    }

    func span() -> Span { code.spans[pc - 1] }

    do {
      while true {
        let instruction = instructions[pc]
        pc += 1
        switch instruction {
        case .loadConst(let d, let k): stack[base + d] = code.constants[k]
        case .loadInt(let d, let v): stack[base + d] = .int(v)
        case .loadReal(let d, let v): stack[base + d] = .real(v)
        case .move(let d, let s): stack[base + d] = stack[base + s]
        case .loadGlobal(let d, let slot): stack[base + d] = context.globals[slot]
        case .storeGlobal(let slot, let s): context.globals[slot] = stack[base + s]
        case .loadCapture(let d, let i): stack[base + d] = frame.closure.captures[i]

        case .addInt(let d, let a, let b):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          let (r, overflow) = x.addingReportingOverflow(y)
          if overflow { throw RuntimeError("integer overflow in '+'") }
          stack[base + d] = .int(r)
        case .subInt(let d, let a, let b):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          let (r, overflow) = x.subtractingReportingOverflow(y)
          if overflow { throw RuntimeError("integer overflow in '-'") }
          stack[base + d] = .int(r)
        case .mulInt(let d, let a, let b):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          let (r, overflow) = x.multipliedReportingOverflow(by: y)
          if overflow { throw RuntimeError("integer overflow in '*'") }
          stack[base + d] = .int(r)
        case .addReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .real(x + y)
        case .subReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .real(x - y)
        case .mulReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .real(x * y)
        case .divReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .real(x / y)
        case .lessInt(let d, let a, let b):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .bool(x < y)
        case .lessEqualInt(let d, let a, let b):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .bool(x <= y)
        case .lessReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .bool(x < y)
        case .lessEqualReal(let d, let a, let b):
          guard case .real(let x) = stack[base + a], case .real(let y) = stack[base + b] else { throw Operations.mismatch }
          stack[base + d] = .bool(x <= y)
        case .equal(let d, let a, let b):
          stack[base + d] = .bool(Operations.equal(stack[base + a], stack[base + b]))
        case .notEqual(let d, let a, let b):
          stack[base + d] = .bool(!Operations.equal(stack[base + a], stack[base + b]))
        case .binary(let op, let d, let a, let b):
          stack[base + d] = try Operations.binary(op, stack[base + a], stack[base + b])
        case .negate(let d, let a):
          stack[base + d] = try Operations.negate(stack[base + a])
        case .not(let d, let a):
          guard case .bool(let x) = stack[base + a] else { throw Operations.mismatch }
          stack[base + d] = .bool(!x)

        case .jump(let target): pc = target
        case .loop(let target):
          budget -= 1
          if budget < 0 { throw RuntimeError("step limit exceeded (\(context.limits.maxSteps ?? 0) steps)") }
          pc = target
        case .jumpIfFalse(let c, let target):
          if case .bool(false) = stack[base + c] { pc = target }
        case .jumpIfTrue(let c, let target):
          if case .bool(true) = stack[base + c] { pc = target }
        case .jumpUnlessLessInt(let a, let b, let target):
          guard case .int(let x) = stack[base + a], case .int(let y) = stack[base + b] else { throw Operations.mismatch }
          if !(x < y) { pc = target }
        case .incrementInt(let r):
          guard case .int(let x) = stack[base + r] else { throw Operations.mismatch }
          stack[base + r] = .int(x &+ 1)

        case .call(let d, let f, let start, let count):
          switch stack[base + f] {
          case .closure(let closure):
            budget -= 1
            if budget < 0 { throw RuntimeError("step limit exceeded (\(context.limits.maxSteps ?? 0) steps)") }
            frames[frames.count - 1].pc = pc
            try pushFrame(closure, argumentsAt: base + start, count: count, returnRegister: base + d,
                          prefix: frame.prefix, context, span: span())
            frame = frames[frames.count - 1]
            code = closure.code
            instructions = code.instructions
            pc = 0
            base = frame.base
          case .builtin(let b):
            let args = Array(stack[(base + start)..<(base + start + count)])
            stack[base + d] = try b.body(args, CallContext(runtime: context, span: span()))
          case let other:
            throw RuntimeError("cannot call a value of type \(other.typeName)")
          }
        case .callGlobal(let d, let slot, let start, let count):
          guard case .closure(let closure) = context.globals[slot] else {
            throw RuntimeError("'\(code.name)' called a global that is not a function")
          }
          budget -= 1
          if budget < 0 { throw RuntimeError("step limit exceeded (\(context.limits.maxSteps ?? 0) steps)") }
          frames[frames.count - 1].pc = pc
          try pushFrame(closure, argumentsAt: base + start, count: count, returnRegister: base + d,
                        prefix: frame.prefix, context, span: span())
          frame = frames[frames.count - 1]
          code = closure.code
          instructions = code.instructions
          pc = 0
          base = frame.base
        case .callBuiltin(let d, let k, let start, let count):
          let args = Array(stack[(base + start)..<(base + start + count)])
          stack[base + d] = try code.builtins[k].body(args, CallContext(runtime: context, span: span()))
        case .ret(let r):
          let value = stack[base + r]
          let done = frames.removeLast()
          stack.removeLast(stack.count - done.base)
          guard let caller = frames.last else { return .finished(value) }
          stack[done.returnRegister] = value
          frame = caller
          code = frame.closure.code
          instructions = code.instructions
          pc = frame.pc
          base = frame.base

        case .makeList(let d, let start, let count):
          stack[base + d] = .list(Array(stack[(base + start)..<(base + start + count)]))
        case .makeTuple(let d, let start, let count):
          stack[base + d] = count == 0 ? .unit : .tuple(Array(stack[(base + start)..<(base + start + count)]))
        case .makeRecord(let d, let start, let count, let k):
          guard case .list(let names) = code.constants[k] else { throw Operations.mismatch }
          stack[base + d] = .record(names: names.map { if case .string(let s) = $0 { return s } else { return "" } },
                                    values: Array(stack[(base + start)..<(base + start + count)]))
        case .makeClosure(let d, let child, let start, let count):
          stack[base + d] = .closure(Closure(code: code.children[child], captures: Array(stack[(base + start)..<(base + start + count)])))
        case .field(let d, let s, let i):
          switch stack[base + s] {
          case .record(_, let values): stack[base + d] = values[i]
          case .tuple(let values): stack[base + d] = values[i]
          default: throw Operations.mismatch
          }
        case .property(let d, let s, let k):
          guard case .string(let name) = code.constants[k] else { throw Operations.mismatch }
          stack[base + d] = try context.builtins.property(stack[base + s], name)
        case .index(let d, let b, let start, let count):
          stack[base + d] = try Operations.index(stack[base + b], Array(stack[(base + start)..<(base + start + count)]), context)
        case .checkType(let r, let k):
          let expected = code.typeChecks[k]
          if case .tensor(let t) = stack[base + r], t.rank == 0, case .real = expected {
            stack[base + r] = .real(t.data[0])
          }
          if !expected.admits(stack[base + r]) {
            throw RuntimeError("expected a value of type \(expected.name) here, found \(stack[base + r].typeName)")
          }
        case .iterate(let d, let c, let counter, let exit):
          guard case .int(let i) = stack[base + counter] else { throw Operations.mismatch }
          switch stack[base + c] {
          case .list(let xs):
            if i >= xs.count { pc = exit; continue }
            stack[base + d] = xs[i]
          case .tensor(let t):
            if i >= (t.shape.first ?? 0) { pc = exit; continue }
            stack[base + d] = t.rank == 1 ? .real(t.data[i]) : .tensor(t.row(i))
          default: throw Operations.mismatch
          }
          stack[base + counter] = .int(i + 1)
        case .appendInPlace(let l, let v):
          let item = stack[base + v]
          guard case .list(var xs) = stack[base + l] else { throw Operations.mismatch }
          stack[base + l] = .unit  // drop the register's reference so `xs` is unique
          xs.append(item)
          stack[base + l] = .list(xs)
        case .range(let d, let lo, let hi, let inclusive):
          guard case .int(let a) = stack[base + lo], case .int(let b) = stack[base + hi] else { throw Operations.mismatch }
          let end = inclusive ? b + 1 : b
          stack[base + d] = .list(a < end ? (a..<end).map { .int($0) } : [])

        case .choice(let d, let dr, let ar):
          guard case .dist(let dist) = stack[base + dr] else { throw Operations.mismatch }
          let address = frame.prefix.appending(try Operations.address(stack[base + ar]))
          switch try handler.choice(at: address, from: dist, context) {
          case .value(let v): stack[base + d] = v
          case .suspend:
            frames[frames.count - 1].pc = pc
            pendingRegister = base + d
            return .suspended(.choice(address, dist))
          }
        case .tracedCall(let d, let g, let start, let count, let ar):
          guard case .closure(let closure) = stack[base + g] else { throw Operations.mismatch }
          let address = frame.prefix.appending(try Operations.address(stack[base + ar]))
          budget -= 1
          if budget < 0 { throw RuntimeError("step limit exceeded (\(context.limits.maxSteps ?? 0) steps)") }
          frames[frames.count - 1].pc = pc
          try pushFrame(closure, argumentsAt: base + start, count: count, returnRegister: base + d,
                        prefix: address, context, span: span())
          frame = frames[frames.count - 1]
          code = closure.code
          instructions = code.instructions
          pc = 0
          base = frame.base
        case .observe(let dr, let vr):
          guard case .dist(let dist) = stack[base + dr] else { throw Operations.mismatch }
          if !(try handler.observe(dist, stack[base + vr], at: frame.prefix, context)) {
            frames[frames.count - 1].pc = pc
            return .suspended(.scored(frame.prefix))
          }
        case .factor(let wr):
          guard case .real(let w) = stack[base + wr] else { throw Operations.mismatch }
          if !(try handler.factor(w, at: frame.prefix, context)) {
            frames[frames.count - 1].pc = pc
            return .suspended(.scored(frame.prefix))
          }
        }
      }
    } catch {
      throw annotate(error, pc: pc)
    }
  }
}

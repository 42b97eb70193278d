import Distributions
import Syntax

extension BatchExecution {
  /// Runs the batch until it finishes, stops at a weighting point, diverges, or — after
  /// at least one instruction — arrives at or past a point in `waiting` in the same frame
  /// (where another batch waits to be joined).
  public mutating func run<H: BatchHandler>(_ handler: inout H, _ context: RuntimeContext, waiting: [Point] = []) throws -> Outcome {
    guard let top = frames.last else { return .finished(.uniform(.unit)) }
    unowned(unsafe) var code = top.code
    var pc = top.pc
    var base = top.base
    let n = members.count
    var budget = StepBudget(context)
    context.nesting += 1
    defer {
      context.nesting -= 1
      budget.settle(context)
    }
    /// One step per member (a call or loop iteration of each).
    func step() throws { try budget.spend(n, context) }
    if context.nesting > RuntimeContext.maxNesting {
      throw Execution.annotate(RuntimeError("maximum call depth exceeded (nested calls through builtins)"), frames: frames, pc: pc + 1)
    }
    func span() -> Span { code.spans[pc - 1] }
    func save(_ at: Int) { frames[frames.count - 1].pc = at }
    /// Whether the batch has come to a point another batch waits at (or passed it).
    func arrived() -> Bool {
      waiting.contains { $0.depth == frames.count && $0.code == ObjectIdentifier(code) && $0.pc <= pc }
    }
    /// The address a choice or traced call at `value` has in the current frame.
    func address(_ value: Value) throws -> Address {
      prefixes[frames[frames.count - 1].prefix].appending(try Operations.address(value))
    }

    func enter(_ closure: Unmanaged<Closure>, _ start: Int, _ count: Int, _ returnRegister: Int, _ prefix: Int, owned: Bool) throws {
      unowned(unsafe) let callee = closure._withUnsafeGuaranteedRef { $0.code }
      try context.checkEntry(callee, arguments: count, depth: frames.count)
      try step()
      save(pc)
      let newBase = registers.count
      for i in 0..<count { registers.append(registers[start + i]) }
      if callee.registerCount > count { registers.append(contentsOf: repeatElement(.uniform(.unit), count: callee.registerCount - count)) }
      closures.append(owned ? closure.takeUnretainedValue() : nil)
      frames.append(Execution.Frame(closure: closure, pc: 0, base: newBase, returnRegister: returnRegister, prefix: prefix))
      code = callee
      pc = 0
      base = newBase
    }

    /// Splits the batch where members disagree on the value of register `r` (re-running
    /// the current instruction in each part, where `r` is uniform).
    func diverge<K: Hashable>(on r: Int, _ key: (Value) throws -> K) throws -> Outcome {
      save(pc - 1)
      let column = registers[base + r]
      return .diverged(try split(register: base + r) { try key(column.value(at: $0)) })
    }

    var started = false
    do {
      while true {
        if started && !waiting.isEmpty && arrived() { save(pc); return .reached }
        started = true
        // An instruction over a large batch is long work: the limits hold between them.
        if n >= 1024 { try context.checkLimits() }
        let instruction = code.instructions[pc]
        pc += 1
        switch instruction {
        case .loadConst(let d, let k): registers[base + d] = .uniform(code.constants[k])
        case .loadInt(let d, let v): registers[base + d] = .uniform(.int(v))
        case .loadReal(let d, let v): registers[base + d] = .uniform(.real(v))
        case .move(let d, let s): registers[base + d] = registers[base + s]
        case .loadGlobal(let d, let slot): registers[base + d] = .uniform(context.globals[slot])
        case .storeGlobal(let slot, let s):
          // Members store in turn, as member-by-member runs would: the last one's value stays.
          context.globals[slot] = registers[base + s].value(at: n - 1)
        case .loadCapture(let d, let i):
          registers[base + d] = .uniform(frames[frames.count - 1].closure._withUnsafeGuaranteedRef { $0.captures[i] })

        case .equal(let d, let a, let b):
          registers[base + d] = BatchOperations.equal(registers[base + a], registers[base + b], count: n, negated: false)
        case .notEqual(let d, let a, let b):
          registers[base + d] = BatchOperations.equal(registers[base + a], registers[base + b], count: n, negated: true)
        case .addInt, .addReal, .subInt, .subReal, .mulInt, .mulReal, .divReal,
             .lessInt, .lessReal, .lessEqualInt, .lessEqualReal, .binary:
          let (op, d, a, b) = instruction.binaryOperation!  // unreachable: every case listed has one
          registers[base + d] = try BatchOperations.binary(op, registers[base + a], registers[base + b], count: n)
        case .negate(let d, let a):
          registers[base + d] = try BatchOperations.negate(registers[base + a], count: n)
        case .intrinsic(let f, let d, let a):
          registers[base + d] = try BatchOperations.intrinsic(f, registers[base + a], count: n)
        case .not(let d, let a):
          registers[base + d] = try BatchOperations.not(registers[base + a], count: n)

        case .jump(let target):
          pc = target
        case .loop(let target):
          try step()
          pc = target
        case .jumpIfFalse(let c, let target), .jumpIfTrue(let c, let target):
          guard case .uniform(let v) = registers[base + c] else { return try diverge(on: c) { v -> Int in if case .bool(let b) = v { return b ? 1 : 0 } else { return 2 } } }
          let jumps: Bool
          if case .jumpIfFalse = instruction { if case .bool(false) = v { jumps = true } else { jumps = false } } else {
            if case .bool(true) = v { jumps = true } else { jumps = false }
          }
          if jumps { pc = target }
        case .jumpUnlessLessInt(let a, let b, let target):
          let less = try BatchOperations.binary(.lt, registers[base + a], registers[base + b], count: n)
          switch less {
          case .uniform(.bool(let x)):
            if !x { pc = target }
          case .uniform: throw Operations.mismatch
          case .column(let column):
            guard case .bools(let xs) = column else { throw Operations.mismatch }
            if !xs.contains(!xs[0]) {
              if !xs[0] { pc = target }
              continue
            }
            save(pc - 1)
            return .diverged(split(register: nil) { xs[$0] })
          }
        case .incrementInt(let i):
          registers[base + i] = try BatchOperations.binary(.add, registers[base + i], .uniform(.int(1)), count: n)

        case .call(let d, let f, let start, let count):
          switch registers[base + f] {
          case .uniform(.closure(let closure)):
            try enter(.passUnretained(closure), base + start, count, base + d, frames[frames.count - 1].prefix, owned: true)
          case .uniform(.builtin(let b)):
            registers[base + d] = try callBuiltin(b, Array(registers[(base + start)..<(base + start + count)]), CallContext(runtime: context, span: span()))
          case .uniform(let other):
            throw RuntimeError("cannot call a value of type \(other.typeName)")
          case .column:
            return try diverge(on: f, Callee.init)
          }
        case .callGlobal(let d, let slot, let start, let count):
          guard case .closure(let closure) = context.globals[slot] else {
            throw RuntimeError("'\(code.name)' called a global that is not a function")
          }
          try enter(.passUnretained(closure), base + start, count, base + d, frames[frames.count - 1].prefix, owned: false)
        case .callKnown(let d, let callee, let start, let count):
          try enter(callee, base + start, count, base + d, frames[frames.count - 1].prefix, owned: false)
        case .callBuiltin(let d, let k, let start, let count):
          registers[base + d] = try callBuiltin(code.builtins[k], Array(registers[(base + start)..<(base + start + count)]),
                                                CallContext(runtime: context, span: span()))
        case .ret(let v):
          let value = registers[base + v]
          let top = frames.count - 1
          let doneBase = frames[top].base, returnRegister = frames[top].returnRegister
          frames.removeLast()
          closures.removeLast()
          registers.removeSubrange(doneBase...)
          if top == 0 { return .finished(value) }
          registers[returnRegister] = value
          code = frames[top - 1].code
          pc = frames[top - 1].pc
          base = frames[top - 1].base

        case .makeList(let d, let start, let count):
          registers[base + d] = BatchOperations.lift(Array(registers[(base + start)..<(base + start + count)]), count: n) { .list($0) }
        case .makeTuple(let d, let start, let count):
          registers[base + d] = BatchOperations.lift(Array(registers[(base + start)..<(base + start + count)]), count: n) {
            count == 0 ? .unit : .tuple($0)
          }
        case .makeRecord(let d, let start, let count, let k):
          guard case .list(let names) = code.constants[k] else { throw Operations.mismatch }
          let fields = names.map { if case .string(let s) = $0 { return s } else { return "" } }
          registers[base + d] = BatchOperations.lift(Array(registers[(base + start)..<(base + start + count)]), count: n) {
            .record(names: fields, values: $0)
          }
        case .makeClosure(let d, let child, let start, let count):
          let body = code.children[child]
          registers[base + d] = BatchOperations.lift(Array(registers[(base + start)..<(base + start + count)]), count: n) {
            .closure(Closure(code: body, captures: $0))
          }
        case .field(let d, let s, let i):
          registers[base + d] = try BatchOperations.lift([registers[base + s]], count: n) { v in
            switch v[0] {
            case .record(_, let values): return values[i]
            case .tuple(let values): return values[i]
            default: throw Operations.mismatch
            }
          }
        case .property(let d, let s, let k):
          guard case .string(let name) = code.constants[k] else { throw Operations.mismatch }
          registers[base + d] = try BatchOperations.lift([registers[base + s]], count: n) { try context.builtins.property($0[0], name) }
        case .index(let d, let b, let start, let count):
          registers[base + d] = try BatchOperations.lift([registers[base + b]] + registers[(base + start)..<(base + start + count)], count: n) {
            try Operations.index($0[0], Array($0.dropFirst()), context)
          }
        case .checkType(let i, let k):
          let expected = code.typeChecks[k]
          registers[base + i] = try BatchOperations.lift([registers[base + i]], count: n) { v in
            var value = v[0]
            if case .tensor(let t) = value, t.rank == 0, case .real = expected { value = .real(t.data[0]) }
            if !expected.admits(value) { throw RuntimeError("expected a value of type \(expected.name) here, found \(value.typeName)") }
            return value
          }
        case .iterate(let d, let c, let counter, let exit):
          if case .uniform(let collection) = registers[base + c], case .uniform(.int(let i)) = registers[base + counter] {
            guard let next = try Operations.element(collection, i, context) else { pc = exit; continue }
            registers[base + d] = .uniform(next)
            registers[base + counter] = .uniform(.int(i + 1))
            continue
          }
          // Members iterate over collections of their own: those that are done leave.
          let collections = registers[base + c], counters = registers[base + counter]
          var elements: [Value?] = []
          for m in 0..<n {
            guard case .int(let i) = counters.value(at: m) else { throw Operations.mismatch }
            elements.append(try Operations.element(collections.value(at: m), i, context))
          }
          if elements.contains(where: { $0 == nil }) && elements.contains(where: { $0 != nil }) {
            save(pc - 1)
            return .diverged(split(register: nil) { elements[$0] == nil })
          }
          if elements[0] == nil { pc = exit; continue }
          registers[base + d] = .column(.packing(elements.map { $0 ?? .unit }))
          registers[base + counter] = try BatchOperations.binary(.add, counters, .uniform(.int(1)), count: n)
        case .appendInPlace(let l, let v):
          registers[base + l] = try BatchOperations.lift([registers[base + l], registers[base + v]], count: n) { pair in
            guard case .list(var xs) = pair[0] else { throw Operations.mismatch }
            try Capacity.checkAppend(xs.count + 1)
            xs.append(pair[1])
            return .list(xs)
          }
        case .range(let d, let lo, let hi, let inclusive):
          registers[base + d] = try BatchOperations.lift([registers[base + lo], registers[base + hi]], count: n) {
            try Operations.range($0[0], $0[1], inclusive: inclusive)
          }

        case .choice(let d, let dr, let ar):
          guard case .uniform(let label) = registers[base + ar] else { return try diverge(on: ar, Operations.address) }
          let (value, stop) = try handler.choice(at: try address(label), distribution: registers[base + dr], members: members, context)
          registers[base + d] = value
          if stop { save(pc); return .stopped }
        case .tracedCall(let d, let g, let start, let count, let ar):
          guard case .uniform(let label) = registers[base + ar] else { return try diverge(on: ar, Operations.address) }
          guard case .uniform(let gen) = registers[base + g] else { return try diverge(on: g, Callee.init) }
          guard case .closure(let closure) = gen else { throw Operations.mismatch }
          if closure.code.isInterfaceOnly {
            var e = RuntimeError(RuntimeError.interfaceGenRefused(closure))
            e.needsMemberByMember = true
            throw e
          }
          prefixes.append(try address(label))
          try enter(.passUnretained(closure), base + start, count, base + d, prefixes.count - 1, owned: true)
        case .observe(let dr, let vr):
          let prefix = prefixes[frames[frames.count - 1].prefix]
          if try handler.observe(distribution: registers[base + dr], registers[base + vr], at: prefix, members: members, context) {
            save(pc)
            return .stopped
          }
        case .factor(let wr):
          let prefix = prefixes[frames[frames.count - 1].prefix]
          if try handler.factor(weight: registers[base + wr], at: prefix, members: members, context) {
            save(pc)
            return .stopped
          }
        }
      }
    } catch {
      throw Execution.annotate(error, frames: frames, pc: pc)
    }
  }

  /// A builtin called for every member: once when the arguments are shared and the call
  /// draws no random numbers, runs no code and writes nothing (then every member's result
  /// is the same); over whole columns where the builtin has a batched form; otherwise
  /// member by member.
  func callBuiltin(_ b: BuiltinFunction, _ args: [BatchValue], _ c: CallContext) throws -> BatchValue {
    let n = members.count, context = c.runtime
    if args.allSatisfy(\.isUniform) {
      let values = args.map { $0.value(at: 0) }
      let rng = context.rng, steps = context.steps, output = context.output
      var wrote = false
      context.output = { wrote = true; output($0) }
      let first: Value
      do { first = try b.body(values, c) } catch { context.output = output; throw error }
      context.output = output
      if n == 1 || (!wrote && context.steps == steps && context.rng.hasSameState(as: rng)) { return .uniform(first) }
      var out = [first]
      for _ in 1..<n { out.append(try b.body(values, c)) }
      return .column(.packing(out))
    }
    if let batched = b.batched, let result = try batched(args, n, c) { return result }
    var out: [Value] = []
    out.reserveCapacity(n)
    for i in 0..<n { out.append(try b.body(args.map { $0.value(at: i) }, c)) }
    return .column(.packing(out))
  }
}

/// What members calling different functions are grouped by.
private enum Callee: Hashable {
  case object(ObjectIdentifier)
  case other

  init(_ v: Value) {
    switch v {
    case .closure(let c): self = .object(ObjectIdentifier(c))
    case .builtin(let b): self = .object(ObjectIdentifier(b))
    default: self = .other
    }
  }
}

import Syntax

/// A listing of compiled code (`ppl code FILE`, `:code` in the REPL), in the manner of
/// clox's disassembler: one line per instruction with its index, its source line (`|`
/// when it repeats the line above), the operation and its operands. Registers print as
/// `r3`, jump targets as instruction indices (`-> 0012`), constants by value, globals,
/// builtins and nested code by name. Nested functions follow their parent.
public enum CodePrinter {
  /// The listing of `code` and of every function nested in it; `global` names a global slot.
  public static func print(_ code: Code, global: (Int) -> String) -> String {
    var out = ""
    var pending: [(Code, String)] = [(code, code.name)]
    while !pending.isEmpty {
      let (next, path) = pending.removeFirst()
      if !out.isEmpty { out += "\n" }
      out += listing(next, path: path, global: global)
      pending += next.children.enumerated().map { ($0.element, "\(path)/\($0.offset):\($0.element.name)") }
    }
    return out
  }

  static func listing(_ code: Code, path: String, global: (Int) -> String) -> String {
    let kind = code.isGen ? "gen" : "fn"
    var out = "== \(kind) \(path): \(code.parameterCount) parameters, \(code.registerCount) registers ==\n"
    var previousLine: Int?
    for (pc, instruction) in code.instructions.enumerated() {
      let span = pc < code.spans.count ? code.spans[pc] : Span.none
      let line = span.file.map { $0.location(of: span.start).line }
      let lineText = line.map { $0 == previousLine ? "|" : String($0) } ?? "-"
      previousLine = line
      let (operation, operands) = describe(instruction, in: code, global: global)
      let index = String(pc).leftPadded(to: 4, with: "0")
      out += "\(index) \(lineText.leftPadded(to: 4, with: " "))  \(operation.rightPadded(to: 18))\(operands)\n"
    }
    return out
  }

  static func describe(_ instruction: Instruction, in code: Code, global: (Int) -> String) -> (String, String) {
    func r(_ i: Int) -> String { "r\(i)" }
    func registers(_ first: Int, _ count: Int) -> String { (first..<first + count).map(r).joined(separator: ", ") }
    func list(_ first: Int, _ count: Int) -> String { "(" + registers(first, count) + ")" }
    func infix(_ name: String, _ d: Int, _ a: Int, _ op: String, _ b: Int) -> (String, String) {
      (name, "\(r(d)) = \(r(a)) \(op) \(r(b))")
    }
    func target(_ t: Int) -> String { "-> " + String(t).leftPadded(to: 4, with: "0") }
    func constant(_ i: Int) -> String {
      guard i < code.constants.count else { return "?\(i)" }
      if case .string(let s) = code.constants[i] { return "\"\(s)\"".clipped(40) }
      return ValueFormatter.format(code.constants[i]).clipped(40)
    }
    func builtin(_ i: Int) -> String { i < code.builtins.count ? code.builtins[i].name : "?\(i)" }
    func child(_ i: Int) -> String { i < code.children.count ? "\(i):\(code.children[i].name)" : "?\(i)" }
    switch instruction {
    case .loadConst(let d, let c): return ("loadConst", "\(r(d)) = \(constant(c))")
    case .loadInt(let d, let v): return ("loadInt", "\(r(d)) = \(v)")
    case .loadReal(let d, let v): return ("loadReal", "\(r(d)) = \(v)")
    case .move(let d, let s): return ("move", "\(r(d)) = \(r(s))")
    case .loadGlobal(let d, let g): return ("loadGlobal", "\(r(d)) = \(global(g))")
    case .storeGlobal(let g, let s): return ("storeGlobal", "\(global(g)) = \(r(s))")
    case .loadCapture(let d, let i): return ("loadCapture", "\(r(d)) = capture \(i)")
    case .addInt(let d, let a, let b): return infix("addInt", d, a, "+", b)
    case .subInt(let d, let a, let b): return infix("subInt", d, a, "-", b)
    case .mulInt(let d, let a, let b): return infix("mulInt", d, a, "*", b)
    case .addReal(let d, let a, let b): return infix("addReal", d, a, "+", b)
    case .subReal(let d, let a, let b): return infix("subReal", d, a, "-", b)
    case .mulReal(let d, let a, let b): return infix("mulReal", d, a, "*", b)
    case .divReal(let d, let a, let b): return infix("divReal", d, a, "/", b)
    case .lessInt(let d, let a, let b): return infix("lessInt", d, a, "<", b)
    case .lessEqualInt(let d, let a, let b): return infix("lessEqualInt", d, a, "<=", b)
    case .lessReal(let d, let a, let b): return infix("lessReal", d, a, "<", b)
    case .lessEqualReal(let d, let a, let b): return infix("lessEqualReal", d, a, "<=", b)
    case .equal(let d, let a, let b): return infix("equal", d, a, "==", b)
    case .notEqual(let d, let a, let b): return infix("notEqual", d, a, "!=", b)
    case .binary(let op, let d, let a, let b): return ("binary", "\(r(d)) = \(r(a)) \(op.rawValue) \(r(b))")
    case .negate(let d, let s): return ("negate", "\(r(d)) = -\(r(s))")
    case .intrinsic(let f, let d, let s): return ("intrinsic", "\(r(d)) = \(f)(\(r(s)))")
    case .not(let d, let s): return ("not", "\(r(d)) = !\(r(s))")
    case .jump(let t): return ("jump", target(t))
    case .jumpIfFalse(let c, let t): return ("jumpIfFalse", "\(r(c)) \(target(t))")
    case .jumpIfTrue(let c, let t): return ("jumpIfTrue", "\(r(c)) \(target(t))")
    case .jumpUnlessLessInt(let a, let b, let t): return ("jumpUnlessLessInt", "\(r(a)) < \(r(b)) else \(target(t))")
    case .incrementInt(let d): return ("incrementInt", r(d))
    case .loop(let t): return ("loop", target(t))
    case .call(let d, let f, let first, let n): return ("call", "\(r(d)) = \(r(f))\(list(first, n))")
    case .callGlobal(let d, let g, let first, let n): return ("callGlobal", "\(r(d)) = \(global(g))\(list(first, n))")
    case .callKnown(let d, let closure, let first, let n):
      return ("callKnown", "\(r(d)) = \(closure.takeUnretainedValue().code.name)\(list(first, n))")
    case .callBuiltin(let d, let b, let first, let n): return ("callBuiltin", "\(r(d)) = \(builtin(b))\(list(first, n))")
    case .ret(let s): return ("ret", r(s))
    case .makeList(let d, let first, let n): return ("makeList", "\(r(d)) = [\(registers(first, n))]")
    case .makeTuple(let d, let first, let n): return ("makeTuple", "\(r(d)) = \(list(first, n))")
    case .makeRecord(let d, let first, let n, let names): return ("makeRecord", "\(r(d)) = \(constant(names)) \(list(first, n))")
    case .makeClosure(let d, let c, let first, let n): return ("makeClosure", "\(r(d)) = \(child(c)) captures \(list(first, n))")
    case .field(let d, let s, let i): return ("field", "\(r(d)) = \(r(s)).\(i)")
    case .property(let d, let s, let name): return ("property", "\(r(d)) = \(r(s)).\(constant(name))")
    case .index(let d, let s, let i, let n): return ("index", "\(r(d)) = \(r(s))[\(registers(i, n))]")
    case .checkType(let s, let t):
      return ("checkType", "\(r(s)) is \(t < code.typeChecks.count ? code.typeChecks[t].name : "?\(t)")")
    case .iterate(let d, let s, let counter, let t): return ("iterate", "\(r(d)) = next \(r(s)) at \(r(counter)) else \(target(t))")
    case .appendInPlace(let l, let v): return ("appendInPlace", "\(r(l)) += [\(r(v))]")
    case .range(let d, let lo, let hi, let closed): return ("range", "\(r(d)) = \(r(lo))\(closed ? "..." : "..<")\(r(hi))")
    case .choice(let d, let dist, let address): return ("choice", "\(r(d)) ~ \(r(dist)) @ \(r(address))")
    case .tracedCall(let d, let g, let first, let n, let address):
      return ("tracedCall", "\(r(d)) ~ \(r(g))\(list(first, n)) @ \(r(address))")
    case .observe(let dist, let v): return ("observe", "\(r(dist)) at \(r(v))")
    case .factor(let s): return ("factor", r(s))
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int, with pad: Character) -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }

  fileprivate func rightPadded(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }

  fileprivate func clipped(_ width: Int) -> String {
    count <= width ? self : prefix(width - 1) + "…"
  }
}

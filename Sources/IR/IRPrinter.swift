import Foundation

/// Prints IR in a stable, indented text form (`ppl ir`). One node per line:
/// `kind detail : Type`, children indented below.
public struct IRPrinter {
  private var out = ""
  private var depth = 0
  /// Top-level declarations, printed once and referred to by name elsewhere.
  private var declared: Set<ObjectIdentifier> = []

  public static func print(_ unit: IRUnit) -> String {
    var p = IRPrinter()
    p.declared = Set(unit.functions.map(ObjectIdentifier.init))
    for f in unit.functions { p.function(f) }
    p.function(unit.main)
    return p.out
  }

  public static func print(_ function: IRFunction) -> String {
    var p = IRPrinter()
    p.function(function)
    return p.out
  }

  private mutating func line(_ text: String) {
    out += String(repeating: "  ", count: depth) + text + "\n"
  }

  private mutating func nested(_ body: (inout IRPrinter) -> Void) {
    depth += 1
    body(&self)
    depth -= 1
  }

  private mutating func function(_ f: IRFunction) {
    let params = zip(f.paramNames, f.paramTypes).enumerated().map { "\($1.0)#\($0): \($1.1)" }.joined(separator: ", ")
    let captures = f.captures.isEmpty ? "" :
      " captures [" + f.captures.map { c -> String in
        switch c.source {
        case .local(let s): return "\(c.name)=local#\(s)"
        case .capture(let i): return "\(c.name)=capture#\(i)"
        case .global(let s): return "\(c.name)=global@\(s)"
        }
      }.joined(separator: ", ") + "]"
    line("\(f.isGen ? "gen" : "fn") \(f.name)(\(params)) -> \(f.returnType)\(captures)")
    nested {
      let extra = f.localNames.count - f.paramNames.count
      if extra > 0 {
        let locals = (f.paramNames.count..<f.localNames.count).map { "\(f.localNames[$0])#\($0): \(f.localTypes[$0])" }
        $0.line("locals " + locals.joined(separator: ", "))
      }
      $0.expr(f.body)
    }
  }

  private func pattern(_ p: IRPattern) -> String {
    switch p {
    case .slot(let s, let n): return "\(n)#\(s)"
    case .ignore: return "_"
    case .tuple(let ps): return "(" + ps.map(pattern).joined(separator: ", ") + ")"
    }
  }

  private static func literal(_ l: IRLiteral) -> String {
    switch l {
    case .int(let i): return String(i)
    case .real(let r): return "\(r)"
    case .bool(let b): return String(b)
    case .string(let s): return "\"" + s.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    case .unit: return "()"
    }
  }

  private mutating func expr(_ e: IRExpr) {
    let t = " : \(e.type)"
    switch e.kind {
    case .literal(let l): line("const \(IRPrinter.literal(l))\(t)")
    case .local(let s, let n): line("local \(n)#\(s)\(t)")
    case .capture(let i, let n): line("capture \(n)#\(i)\(t)")
    case .global(let s, let n): line("global \(n)@\(s)\(t)")
    case .builtinValue(let n, _): line("builtin \(n)\(t)")
    case .callBuiltin(let n, _, let args):
      line("call-builtin \(n)\(t)")
      nested { p in args.forEach { p.expr($0) } }
    case .call(let f, let args):
      line("call\(t)")
      nested { p in
        p.expr(f)
        args.forEach { p.expr($0) }
      }
    case .callGlobal(let s, let n, let args):
      line("call-global \(n)@\(s)\(t)")
      nested { p in args.forEach { p.expr($0) } }
    case .unary(let op, let a):
      line("unary \(op.rawValue)\(t)")
      nested { $0.expr(a) }
    case .binary(let op, let a, let b):
      line("binary \(op.rawValue)\(t)")
      nested {
        $0.expr(a)
        $0.expr(b)
      }
    case .ifElse(let c, let a, let b):
      line("if\(t)")
      nested {
        $0.expr(c)
        $0.expr(a)
        if let b { $0.expr(b) }
      }
    case .block(let stmts, let value):
      line("block\(t)")
      nested { p in
        stmts.forEach { p.stmt($0) }
        if let value { p.expr(value) }
      }
    case .list(let xs):
      line("list\(t)")
      nested { p in xs.forEach { p.expr($0) } }
    case .tuple(let xs):
      line("tuple\(t)")
      nested { p in xs.forEach { p.expr($0) } }
    case .record(let names, let xs):
      line("record \(names.joined(separator: " "))\(t)")
      nested { p in xs.forEach { p.expr($0) } }
    case .field(let a, let i, let n):
      line("field \(n)#\(i)\(t)")
      nested { $0.expr(a) }
    case .index(let a, let idx):
      line("index\(t)")
      nested { p in
        p.expr(a)
        idx.forEach { p.expr($0) }
      }
    case .range(let a, let b, let inclusive):
      line("range \(inclusive ? "..." : "..<")\(t)")
      nested {
        $0.expr(a)
        $0.expr(b)
      }
    case .closure(let f) where declared.contains(ObjectIdentifier(f)):
      line("closure \(f.name)\(t)")
    case .closure(let f):
      line("closure\(t)")
      nested { $0.function(f) }
    case .comprehension(let element, let pat, let iter, let cond):
      line("comprehension \(pattern(pat))\(t)")
      nested {
        $0.expr(iter)
        if let cond { $0.expr(cond) }
        $0.expr(element)
      }
    case .choice(let d, let a):
      line("choice\(t)")
      nested {
        $0.expr(a)
        $0.expr(d)
      }
    case .tracedCall(let g, let args, let a):
      line("traced-call\(t)")
      nested { p in
        p.expr(a)
        p.expr(g)
        args.forEach { p.expr($0) }
      }
    case .observe(let d, let v):
      line("observe\(t)")
      nested {
        $0.expr(d)
        $0.expr(v)
      }
    case .factor(let w):
      line("factor\(t)")
      nested { $0.expr(w) }
    case .choicemap(let entries):
      line("choicemap\(t)")
      nested { p in
        for (k, v) in entries {
          p.expr(k)
          p.expr(v)
        }
      }
    case .expect(let f):
      line("expect\(t)")
      nested { $0.function(f) }
    }
  }

  private mutating func stmt(_ s: IRStmt) {
    switch s {
    case .bind(let p, let e):
      line("let \(pattern(p))")
      nested { $0.expr(e) }
    case .assignLocal(let slot, let n, let e):
      line("set \(n)#\(slot)")
      nested { $0.expr(e) }
    case .assignGlobal(let slot, let n, let e):
      line("set-global \(n)@\(slot)")
      nested { $0.expr(e) }
    case .expr(let e):
      expr(e)
    case .forLoop(let p, let iter, let body, _):
      line("for \(pattern(p))")
      nested { q in
        q.expr(iter)
        body.forEach { q.stmt($0) }
      }
    case .whileLoop(let c, let body, _):
      line("while")
      nested { q in
        q.expr(c)
        body.forEach { q.stmt($0) }
      }
    case .breakLoop: line("break")
    case .continueLoop: line("continue")
    case .returnValue(let e, _):
      line("return")
      nested { $0.expr(e) }
    }
  }
}

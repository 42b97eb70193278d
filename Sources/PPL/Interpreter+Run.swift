import Foundation
import IR
import Runtime
import Syntax
import Types

extension Interpreter {
  /// Parses, loads imports, checks, compiles and runs one unit.
  /// Parsing and checking stop at the call's time limit too.
  func run(source: String, name: String, keepLastValue: Bool) throws -> Value {
    try execute(try checkUnit(source: source, name: name, keepLastValue: keepLastValue, deadline: runtime.deadline))
  }

  /// Compiles and runs a checked unit, adopting the globals it defines.
  func execute(_ checked: (IRUnit, GlobalEnvironment)) throws -> Value {
    let (unit, checkedGlobals) = checked
    let code: Code
    do {
      let registry = self.registry
      code = try LargeStack.run { try Compiler.compile(unit.main, builtins: registry) }
    } catch let e as RuntimeError {
      throw PPLError(e)
    }
    code.assignOwner(identity)
    globals = checkedGlobals
    ensureGlobalSlots()
    do {
      return try runtime.call(.closure(Closure(code: code, captures: [])), [], at: unit.main.span)
    } catch let e as RuntimeError {
      throw PPLError(e)
    }
  }

  /// Parses and type-checks a unit against the current globals (after loading its
  /// imports) without running it.
  public func checkUnit(source: String, name: String, keepLastValue: Bool = false) throws -> (IRUnit, GlobalEnvironment) {
    try checkUnit(source: source, name: name, keepLastValue: keepLastValue, deadline: .none)
  }

  /// `checkUnit`, ending in the time-limit error if `deadline` passes while parsing or
  /// checking (their partial results are dropped).
  func checkUnit(source: String, name: String, keepLastValue: Bool, deadline: Deadline) throws -> (IRUnit, GlobalEnvironment) {
    try ownership.run {
      func checkDeadline() throws {
        guard deadline.hasPassed else { return }
        do { try runtime.checkLimits() } catch let e as RuntimeError { throw PPLError(e) }
      }
      let file = SourceFile(name: name, text: source)
      let (program, diagnostics, _) = try LargeStack.run { Parser.parse(file, deadline: deadline) }
      try checkDeadline()
      if !diagnostics.isEmpty { throw PPLError(.syntax, diagnostics) }
      try loadImports(program, from: name)
      let (globals, builtins) = (self.globals, self.builtins)
      do {
        let checked = try LargeStack.run {
          try Checker.check(program, globals: globals, builtins: builtins, keepLastValue: keepLastValue, deadline: deadline)
        }
        try checkDeadline()
        return checked
      } catch let list as DiagnosticList {
        try checkDeadline()
        throw PPLError(.type, list.diagnostics)
      }
    }
  }

  /// The typed IR of a unit, as `ppl ir` prints it.
  public func irText(source: String, name: String) throws -> String {
    let (unit, _) = try checkUnit(source: source, name: name)
    return try LargeStack.run { IRPrinter.print(unit) }
  }

  /// The compiled machine code of a unit, as `ppl code` prints it (see `CodePrinter`).
  public func codeText(source: String, name: String) throws -> String {
    let (unit, checkedGlobals) = try checkUnit(source: source, name: name)
    let registry = self.registry
    do {
      let code = try LargeStack.run { try Compiler.compile(unit.main, builtins: registry) }
      let names = checkedGlobals.slotNames
      return CodePrinter.print(code) { $0 < names.count ? names[$0] : "global \($0)" }
    } catch let e as RuntimeError {
      throw PPLError(e)
    }
  }

  /// The type of an expression in the current session (`:type`).
  public func typeOf(_ expression: String) throws -> String {
    let (unit, _) = try checkUnit(source: expression, name: "<type>", keepLastValue: true)
    return unit.main.returnType.description
  }

  /// The global bindings defined since `count` slots existed, for the REPL to show.
  public func bindings(since count: Int) -> [(name: String, type: String, value: Value)] {
    guard count < globals.slotCount else { return [] }
    return (count..<globals.slotCount).compactMap { slot in
      let name = globals.slotNames[slot]
      guard let entry = globals.entries[name], entry.slot == slot, slot < runtime.globals.count else { return nil }
      return (name, entry.type.description, runtime.globals[slot])
    }
  }

  /// How many global slots exist (see `bindings(since:)`).
  public var globalCount: Int { globals.slotCount }

  /// Formats a value as `print` shows it.
  public func format(_ value: Value) -> String { ValueFormatter.format(value) }

  func loadImports(_ program: Program, from importer: String) throws {
    for stmt in program.statements {
      guard case .importModule(let path, let isFile) = stmt.kind else { continue }
      let key: String
      let source: String
      if isFile {
        guard runtime.allowFileIO else {
          throw PPLError(.type, [.error("cannot import '\(path)': reading files is disabled here (allowFileIO is false)", at: stmt.span)])
        }
        let base = URL(fileURLWithPath: importer).deletingLastPathComponent()
        let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
        key = url.path
        if loadedModules.contains(key) { continue }
        do {
          source = try SourceReader.read(url.path)
        } catch let e as PPLError {
          let problem = e.kind == .fileNotFound ? "file not found" : e.message
          throw PPLError(e.kind, [.error("cannot import '\(path)': \(problem)", at: stmt.span)])
        }
      } else {
        key = "stdlib:" + path
        if loadedModules.contains(key) { continue }
        guard let text = embeddedStdlib[path] else {
          let known = embeddedStdlib.keys.sorted().joined(separator: ", ")
          throw PPLError(.syntax, [.error("no standard library module named '\(path)'", at: stmt.span, notes: ["modules: \(known)"])])
        }
        source = text
      }
      if let start = loading.firstIndex(of: key) {
        let cycle = (loading[start...] + [key]).map { key in
          key.hasPrefix("stdlib:") ? String(key.dropFirst("stdlib:".count)) : URL(fileURLWithPath: key).lastPathComponent
        }
        throw PPLError(.syntax, [.error("import cycle: \(cycle.joined(separator: " → "))", at: stmt.span)])
      }
      loading.append(key)
      defer { loading.removeLast() }
      _ = try run(source: source, name: isFile ? key : "stdlib/\(path).ppl", keepLastValue: false)
      loadedModules.insert(key)
    }
  }
}

/// What one REPL input produced.
public struct EvaluationResult {
  /// The value and type of a final bare expression, if the input ended with one.
  public var value: (value: Value, type: String)?
  /// Top-level names the input bound, in order.
  public var bindings: [(name: String, type: String, value: Value)]
}

extension Interpreter {
  /// Evaluates REPL input: the value of a final bare expression and the new bindings.
  public func evaluate(_ source: String, name: String = "<repl>") throws -> EvaluationResult {
    let before = globalCount
    let checked = try checkUnit(source: source, name: name, keepLastValue: true)
    let unit = checked.0
    let value = try execute(checked)
    var result = EvaluationResult(value: nil, bindings: bindings(since: before))
    if case .block(_, let last?) = unit.main.body.kind {
      result.value = (value, last.type.description)
    }
    return result
  }
}

extension Interpreter {
  /// Whether source text ends in the middle of a construct (an open bracket, a
  /// trailing operator): the REPL then reads another line.
  public static func isIncomplete(_ source: String) -> Bool {
    Parser.parse(SourceFile(name: "<repl>", text: source)).incomplete
  }
}

import IR
import Syntax

/// The type checker. It infers types by unification and elaborates the AST into the
/// typed IR in the same walk; operator and overload choices that depend on types are
/// settled when the unit's types are final.
public struct Checker {
  var solver = Solver()
  /// When to stop checking (see `check`).
  var deadline = Deadline.none
  /// The deepest a bound value's type may nest (as deep as the parser lets syntax nest).
  static let maxTypeDepth = 256
  public internal(set) var globals: GlobalEnvironment
  var diagnostics: [Diagnostic] = []
  var context: FunctionContext
  var pending: [Pending] = []
  var functions: [IRFunction] = []
  /// Whether the unit's main code yields the value of a final bare expression (REPL).
  let keepLastValue: Bool
  /// The builtins this interpreter offers.
  let builtins: BuiltinTable

  struct Pending {
    var span: Span
    var message: String
    var attempt: (inout Checker) -> Bool
  }

  init(globals: GlobalEnvironment, builtins: BuiltinTable, file: SourceFile, keepLastValue: Bool) {
    self.globals = globals
    self.keepLastValue = keepLastValue
    self.builtins = builtins
    let main = IRFunction(name: "<main>", isGen: false, span: Span(file: file, start: 0, end: 0),
                          body: IRExpr(.literal(.unit), .unit, .none))
    self.context = FunctionContext(ir: main, parent: nil, allowsRandom: false, isMain: true, returnType: .any)
  }

  /// Checks a parsed unit against the globals defined so far. On success returns the
  /// IR and the extended environment; on failure throws all diagnostics.
  /// Past `deadline` it stops early, with what it has (the caller reports the limit).
  public static func check(_ program: Program, globals: GlobalEnvironment, builtins: BuiltinTable,
                            keepLastValue: Bool = false, deadline: Deadline = .none) throws -> (unit: IRUnit, globals: GlobalEnvironment)
  {
    var checker = Checker(globals: globals, builtins: builtins, file: program.file, keepLastValue: keepLastValue)
    checker.deadline = deadline
    let unit = checker.checkUnit(program)
    if !checker.diagnostics.isEmpty {
      throw DiagnosticList(checker.diagnostics.sorted { ($0.span.start) < ($1.span.start) })
    }
    return (unit, checker.globals)
  }

  // MARK: Diagnostics and unification helpers

  mutating func error(_ message: String, _ span: Span, notes: [String] = []) {
    diagnostics.append(.error(message, at: span, notes: notes))
  }

  /// A type as messages show it: literals as Int, tensor elements as Real.
  func show(_ t: Type) -> String {
    var copy = solver
    return copy.finalize(t).description
  }

  /// Fixes integer literals in a bound value's type to Int: only the literal itself
  /// may stand for a Real, not a variable bound to it.
  mutating func fixLiterals(_ t: Type) {
    switch solver.resolve(t) {
    case .variable(let v) where solver.kinds[v] == .numericLiteral: _ = solver.unify(t, .int)
    case .tuple(let ts), .record(_, let ts): ts.forEach { fixLiterals($0) }
    case .list(let e): fixLiterals(e)
    default: break
    }
  }

  /// Unifies `actual` with `expected`, reporting a mismatch at `span`.
  mutating func expect(_ actual: Type, _ expected: Type, _ span: Span, _ what: String = "") {
    if solver.unify(actual, expected) { return }
    let a = show(actual), e = show(expected)
    var notes: [String] = []
    if a == "Int" && e == "Real" { notes.append("an Int value becomes a Real with real(i)") }
    if a == "Real" && e == "Int" { notes.append("a Real value becomes an Int with int(x), which truncates") }
    let prefix = what.isEmpty ? "" : "\(what): "
    error("\(prefix)expected \(e), found \(a)", span, notes: notes)
  }

  mutating func fresh(_ kind: VariableKind = .general) -> Type { solver.fresh(kind) }

  func node(_ kind: IRKind, _ type: Type, _ span: Span) -> IRExpr { IRExpr(kind, type, span) }

  /// An IR node standing for an expression that failed to check (its type unifies with
  /// anything, so one mistake gives one message).
  func poisoned(_ span: Span) -> IRExpr { IRExpr(.literal(.unit), .any, span) }

  // MARK: Pending constraints

  /// Runs `attempt` now, or again later if it returns false (a type it needs is not
  /// known yet); `message` is the error if it never succeeds.
  mutating func whenKnown(_ span: Span, _ message: String, _ attempt: @escaping (inout Checker) -> Bool) {
    if !attempt(&self) { pending.append(Pending(span: span, message: message, attempt: attempt)) }
  }

  mutating func retryPending() {
    var progress = true
    while progress && !pending.isEmpty {
      progress = false
      let current = pending
      pending = []
      for p in current {
        if p.attempt(&self) { progress = true } else { pending.append(p) }
      }
    }
  }

  mutating func failPending() {
    retryPending()
    for p in pending { error(p.message, p.span, notes: ["add a type annotation, e.g. |r: {mu: Real}| or let x: Tensor = …"]) }
    pending = []
  }
}

/// Per-function checking state: lexical scopes of local slots and captured names.
final class FunctionContext {
  struct Local {
    var slot: Int
    var mutable: Bool
  }
  let ir: IRFunction
  let parent: FunctionContext?
  let allowsRandom: Bool
  let isMain: Bool
  let returnType: Type
  var scopes: [[String: Local]] = [[:]]
  var captureIndex: [String: Int] = [:]
  var loopDepth = 0

  init(ir: IRFunction, parent: FunctionContext?, allowsRandom: Bool, isMain: Bool, returnType: Type) {
    self.ir = ir
    self.parent = parent
    self.allowsRandom = allowsRandom
    self.isMain = isMain
    self.returnType = returnType
  }

  /// True at the outermost scope of a unit's main code, where bindings are globals.
  var atTopLevel: Bool { isMain && scopes.count == 1 }

  func declareLocal(_ name: String, _ type: Type, mutable: Bool) -> Int {
    let slot = ir.localNames.count
    ir.localNames.append(name)
    ir.localTypes.append(type)
    scopes[scopes.count - 1][name] = Local(slot: slot, mutable: mutable)
    return slot
  }

  func findLocal(_ name: String) -> Local? {
    for scope in scopes.reversed() { if let l = scope[name] { return l } }
    return nil
  }
}

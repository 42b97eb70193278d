import IR
import Syntax

extension Checker {
  mutating func checkUnit(_ program: Program) -> IRUnit {
    let main = context.ir
    var statements: [IRStmt] = []
    // Aliases and fn/gen signatures are hoisted so declarations may refer to each other.
    for stmt in program.statements {
      if case .typeAlias(let name, let typeExpr) = stmt.kind {
        if TypeResolver.builtinType(name, []) != nil || TypeResolver.constructorArity[name] != nil {
          error("'\(name)' is a builtin type and cannot be redefined", stmt.span)
        }
        globals.aliases[name] = resolveType(typeExpr)
      }
    }
    var declared: [(FunctionDecl, IRFunction)] = []
    for stmt in program.statements {
      guard case .function(let decl) = stmt.kind else { continue }
      if builtins[decl.name] != nil {
        error("'\(decl.name)' is a builtin and cannot be redefined", decl.nameSpan)
      }
      let ir = IRFunction(name: decl.name, isGen: decl.isGen, span: stmt.span, body: poisoned(stmt.span))
      var seen = Set<String>()
      for p in decl.params {
        if !seen.insert(p.name).inserted { error("duplicate parameter '\(p.name)'", p.span) }
        ir.paramNames.append(p.name)
        ir.paramTypes.append(p.type.map { resolveType($0, typeParameters: true) } ?? .any)
      }
      ir.returnType = decl.returnType.map { resolveType($0, typeParameters: true) } ?? .unit
      let slot = globals.define(decl.name, type: ir.type, mutable: false, parameterNames: ir.paramNames)
      statements.append(.assignGlobal(slot, decl.name, node(.closure(ir), ir.type, decl.nameSpan)))
      declared.append((decl, ir))
      functions.append(ir)
    }
    var lastValue: IRExpr?
    for (i, stmt) in program.statements.enumerated() {
      if deadline.hasPassed { break }
      switch stmt.kind {
      case .function(let decl):
        if let ir = declared.first(where: { $0.0 === decl })?.1 { checkFunctionBody(decl, ir) }
      case .typeAlias, .importModule:
        break
      case .expr(let e) where keepLastValue && i == program.statements.count - 1:
        lastValue = checkExpr(e)
      default:
        statements += checkStatement(stmt)
      }
      retryPending()
    }
    failPending()
    main.body = node(.block(statements, lastValue), lastValue?.type ?? .unit, main.span)
    main.returnType = main.body.type
    finalizeTypes(main)
    for name in globals.entries.keys {
      if let entry = globals.entries[name] { globals.setType(name, solver.finalize(entry.type)) }
    }
    return IRUnit(main: main, functions: functions)
  }

  mutating func resolveType(_ t: TypeExpr, typeParameters: Bool = false) -> Type {
    var found: [Diagnostic] = []
    let type = TypeResolver.resolve(t, aliases: globals.aliases, typeParameters: typeParameters, report: { found.append($0) })
    diagnostics += found
    return type
  }

  mutating func checkFunctionBody(_ decl: FunctionDecl, _ ir: IRFunction) {
    let saved = context
    context = FunctionContext(ir: ir, parent: nil, allowsRandom: decl.isGen, isMain: false, returnType: ir.returnType)
    for (name, type) in zip(ir.paramNames, ir.paramTypes) {
      _ = context.declareLocal(name, type, mutable: false)
    }
    let body = checkBlock(decl.body)
    if !ir.returnType.isUnit && !bodyDiverges(decl.body) {
      expect(body.type, ir.returnType, lastSpan(decl.body), "the body of '\(decl.name)' should end with its result")
    }
    ir.body = body
    retryPending()
    context = saved
  }

  func lastSpan(_ block: Block) -> Span {
    block.statements.last?.span ?? block.span
  }

  func bodyDiverges(_ block: Block) -> Bool {
    guard let last = block.statements.last else { return false }
    if case .returnValue = last.kind { return true }
    return false
  }
}

extension Checker {
  /// Resolves a type written as text (`fn(Tensor) -> Real`) against the aliases so far.
  public static func resolveType(text file: SourceFile, globals: GlobalEnvironment) throws -> Type {
    var parser = Parser(file: file)
    guard let written = try? parser.parseType(), parser.diagnostics.isEmpty else {
      throw DiagnosticList(parser.diagnostics.isEmpty ? [.error("cannot parse the type '\(file.text)'", at: .none)] : parser.diagnostics)
    }
    var found: [Diagnostic] = []
    let type = TypeResolver.resolve(written, aliases: globals.aliases, report: { found.append($0) })
    if !found.isEmpty { throw DiagnosticList(found) }
    return type
  }
}

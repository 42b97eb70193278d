import IR
import Syntax

/// What a name refers to at a point in the program.
enum NameBinding {
  case local(slot: Int, mutable: Bool, type: Type)
  case capture(index: Int, type: Type)
  case global(GlobalEnvironment.Entry)
  case builtin(String)
  case constant(String, Type)
}

extension Checker {
  mutating func lookup(_ name: String) -> NameBinding? {
    if let local = context.findLocal(name) {
      return .local(slot: local.slot, mutable: local.mutable, type: context.ir.localTypes[local.slot])
    }
    if let (index, type) = capture(name, in: context) {
      return .capture(index: index, type: type)
    }
    if let entry = globals.entries[name] { return .global(entry) }
    if !BuiltinTable.isInternal(name), builtins[name] != nil || name == "observe" || name == "factor" { return .builtin(name) }
    if let t = BuiltinTable.constants[name] { return .constant(name, t) }
    return nil
  }

  /// Finds `name` in an enclosing function and threads it through the captures of
  /// every function in between.
  func capture(_ name: String, in ctx: FunctionContext) -> (Int, Type)? {
    if let i = ctx.captureIndex[name] { return (i, ctx.ir.captures[i].type) }
    guard let parent = ctx.parent else { return nil }
    let source: CaptureSource
    let type: Type
    if let local = parent.findLocal(name) {
      source = .local(local.slot)
      type = parent.ir.localTypes[local.slot]
    } else if let (index, t) = capture(name, in: parent) {
      source = .capture(index)
      type = t
    } else if parent.parent == nil, parent.findLocal(name) == nil, let entry = globals.entries[name], entry.mutable {
      source = .global(entry.slot)
      type = entry.type
    } else {
      return nil
    }
    let index = ctx.ir.captures.count
    ctx.ir.captures.append((name, source, type))
    ctx.captureIndex[name] = index
    return (index, type)
  }

  /// A "did you mean" note for an unknown name.
  func suggestion(for name: String) -> [String] {
    var candidates = Set(globals.entries.keys).union(builtins.names.filter { !BuiltinTable.isInternal($0) })
      .union(BuiltinTable.constants.keys)
    var ctx: FunctionContext? = context
    while let c = ctx {
      for scope in c.scopes { candidates.formUnion(scope.keys) }
      ctx = c.parent
    }
    let limit = max(1, name.count / 3)
    var best: (String, Int)?
    for candidate in candidates.sorted() {
      let d = editDistance(candidate, name)
      if d <= limit && d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best.map { ["did you mean '\($0.0)'?"] } ?? []
  }
}

func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  var row = Array(0...b.count)
  for i in 1...a.count {
    var previous = row[0]
    row[0] = i
    if b.isEmpty { continue }
    for j in 1...b.count {
      let saved = row[j]
      row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
      previous = saved
    }
  }
  return row[b.count]
}

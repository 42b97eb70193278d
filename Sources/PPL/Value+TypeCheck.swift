import IR
import Runtime

extension Value {
  /// Why the value does not have `type`, or nil when it does: the embedding API checks
  /// what a host passes in (`Interpreter.call`) and what a host function returns
  /// (`Interpreter.define`), so a wrong type is a clear error, never a value the typed
  /// machine misreads. Functions, gens and distributions are checked by kind, and a
  /// closure must belong to `owner` (another interpreter's would read these globals).
  func mismatch(against type: Type, owner: AnyObject) -> String? {
    if case .closure(let c) = self, let o = c.code.owner, o !== owner {
      return "the function \(c.code.name) belongs to another Interpreter, whose globals it reads; it cannot run in this one"
    }
    func expected() -> String { "expected \(type), got \(typeName)" }
    switch (type, self) {
    case (.any, _), (.variable, _): return nil
    case (.tuple(let ts), .tuple(let vs)):
      guard ts.count == vs.count else { return "expected a tuple of \(ts.count), got one of \(vs.count)" }
      return zip(ts, vs).lazy.compactMap { $1.mismatch(against: $0, owner: owner) }.first
    case (.list(let t), .list(let vs)):
      return vs.lazy.compactMap { $0.mismatch(against: t, owner: owner) }.first.map { "in a list element: \($0)" }
    case (.record(let names, let ts), .record(let fields, let vs)):
      guard names == fields else { return "expected a record with fields \(names), got one with \(fields)" }
      return zip(names, zip(ts, vs)).lazy.compactMap { name, p in p.1.mismatch(against: p.0, owner: owner).map { "in field \(name): \($0)" } }.first
    case (.trace, .object), (.opaque, .object), (.opaque, .address):
      return nil
    default:
      // Everything else by its outer shape, as the machine's own run-time checks do.
      guard let shape = DynamicType(type), shape.admits(self) else { return expected() }
      return nil
    }
  }
}

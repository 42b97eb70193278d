import IR

/// What an inference variable may become.
public enum VariableKind: Sendable {
  case general
  /// An integer literal: Int or Real (defaults to Int).
  case numericLiteral
  /// A tensor element or row: Real or Tensor; left to run time when nothing decides.
  case realOrTensor
}

/// Type-variable bindings and unification (Hindley–Milner style, no generalization).
public struct Solver {
  var bindings: [Type?] = []
  var kinds: [VariableKind] = []

  public init() {}

  public mutating func fresh(_ kind: VariableKind = .general) -> Type {
    bindings.append(nil)
    kinds.append(kind)
    return .variable(bindings.count - 1)
  }

  /// Follows variable bindings at the top level only.
  public func resolve(_ t: Type) -> Type {
    var t = t
    while case .variable(let v) = t, let bound = bindings[v] { t = bound }
    return t
  }

  /// Substitutes all bound variables, deeply. Parts with no bound variable are kept
  /// as they are, not rebuilt, so types built from types share their storage (a chain
  /// of `let x2 = [x1]` costs memory linear in its length, not quadratic).
  public func zonk(_ t: Type) -> Type { substituted(t) ?? t }

  /// `t` with its bound variables substituted, or nil where it has none.
  private func substituted(_ t: Type) -> Type? {
    switch t {
    case .variable(let v): return bindings[v].map(zonk)
    case .tuple(let ts): return substituted(ts).map(Type.tuple)
    case .list(let e): return substituted(e).map(Type.list)
    case .record(let ns, let ts): return substituted(ts).map { .record(ns, $0) }
    case .function(let ps, let r):
      let (zs, z) = (substituted(ps), substituted(r))
      return zs == nil && z == nil ? nil : .function(zs ?? ps, z ?? r)
    case .gen(let a, let r):
      let (za, zr) = (substituted(a), substituted(r))
      return za == nil && zr == nil ? nil : .gen(za ?? a, zr ?? r)
    case .dist(let e): return substituted(e).map(Type.dist)
    case .trace(let e): return substituted(e).map(Type.trace)
    case .int, .real, .bool, .string, .tensor, .opaque, .any: return nil
    }
  }

  private func substituted(_ ts: [Type]) -> [Type]? {
    var out: [Type]?
    for (i, t) in ts.enumerated() {
      if let z = substituted(t) {
        if out == nil { out = ts }
        out?[i] = z
      }
    }
    return out
  }

  /// Replaces unresolved variables by their defaults: literals become Int, anything
  /// else (tensor entries or rows included) the dynamic type.
  public mutating func finalize(_ t: Type) -> Type {
    let z = zonk(t)
    var unresolved = Set<Int>()
    collectVariables(z, into: &unresolved)
    for v in unresolved {
      switch kinds[v] {
      case .numericLiteral: bindings[v] = .int
      case .realOrTensor: bindings[v] = .any  // a tensor entry or row: decided at run time
      case .general: bindings[v] = .any
      }
    }
    return zonk(z)
  }

  private func collectVariables(_ t: Type, into set: inout Set<Int>) {
    switch t {
    case .variable(let v): set.insert(v)
    case .tuple(let ts), .record(_, let ts): ts.forEach { collectVariables($0, into: &set) }
    case .list(let e), .dist(let e), .trace(let e): collectVariables(e, into: &set)
    case .function(let ps, let r):
      ps.forEach { collectVariables($0, into: &set) }
      collectVariables(r, into: &set)
    case .gen(let a, let r):
      collectVariables(a, into: &set)
      collectVariables(r, into: &set)
    default: break
    }
  }

  /// Whether `t`, bound variables followed, nests more than `limit` levels deep (a list
  /// of lists of …), looking no deeper than that.
  public func nests(_ t: Type, deeperThan limit: Int) -> Bool {
    if limit < 0 { return true }
    switch resolve(t) {
    case .tuple(let ts), .record(_, let ts): return ts.contains { nests($0, deeperThan: limit - 1) }
    case .list(let e), .dist(let e), .trace(let e): return nests(e, deeperThan: limit - 1)
    case .function(let ps, let r): return ps.contains { nests($0, deeperThan: limit - 1) } || nests(r, deeperThan: limit - 1)
    case .gen(let a, let r): return nests(a, deeperThan: limit - 1) || nests(r, deeperThan: limit - 1)
    case .int, .real, .bool, .string, .tensor, .opaque, .variable, .any: return false
    }
  }

  public func kind(of t: Type) -> VariableKind? {
    if case .variable(let v) = resolve(t) { return kinds[v] }
    return nil
  }

  private func occurs(_ v: Int, in t: Type) -> Bool {
    switch resolve(t) {
    case .variable(let w): return v == w
    case .tuple(let ts): return ts.contains { occurs(v, in: $0) }
    case .list(let e), .dist(let e), .trace(let e): return occurs(v, in: e)
    case .record(_, let ts): return ts.contains { occurs(v, in: $0) }
    case .function(let ps, let r): return ps.contains { occurs(v, in: $0) } || occurs(v, in: r)
    case .gen(let a, let r): return occurs(v, in: a) || occurs(v, in: r)
    default: return false
    }
  }

  private mutating func bind(_ v: Int, _ t: Type) -> Bool {
    if case .variable(let w) = t {
      if v == w { return true }
      let merged: VariableKind?
      switch (kinds[v], kinds[w]) {
      case (.general, let k), (let k, .general): merged = k
      case (.numericLiteral, .numericLiteral): merged = .numericLiteral
      case (.realOrTensor, .realOrTensor): merged = .realOrTensor
      default: merged = nil  // literal meets tensor element: both Real
      }
      if let merged {
        kinds[w] = merged
        bindings[v] = t
      } else {
        bindings[v] = .real
        bindings[w] = .real
      }
      return true
    }
    switch kinds[v] {
    case .numericLiteral: guard t == .int || t == .real else { return false }
    case .realOrTensor: guard t == .real || t == .tensor else { return false }
    case .general: break
    }
    if occurs(v, in: t) { return false }
    // Bound as substituted so far: a type built on this one reuses it instead of
    // substituting it again at every zonk.
    bindings[v] = zonk(t)
    return true
  }

  /// Makes `a` and `b` equal, binding variables; returns false on a mismatch (bindings
  /// made before the mismatch stay, so callers try on a copy when they may back out).
  public mutating func unify(_ a: Type, _ b: Type) -> Bool {
    let a = resolve(a), b = resolve(b)
    switch (a, b) {
    case (.variable(let v), _): return bind(v, b)
    case (_, .variable(let v)): return bind(v, a)
    case (.any, _), (_, .any): return true
    case (.tuple(let xs), .tuple(let ys)):
      return xs.count == ys.count && zip(xs, ys).allSatisfy { unify($0, $1) }
    case (.list(let x), .list(let y)), (.dist(let x), .dist(let y)), (.trace(let x), .trace(let y)):
      return unify(x, y)
    case (.record(let n1, let t1), .record(let n2, let t2)):
      return n1 == n2 && zip(t1, t2).allSatisfy { unify($0, $1) }
    case (.function(let p1, let r1), .function(let p2, let r2)):
      return p1.count == p2.count && zip(p1, p2).allSatisfy { unify($0, $1) } && unify(r1, r2)
    case (.gen(let a1, let r1), .gen(let a2, let r2)):
      return unify(a1, a2) && unify(r1, r2)
    default:
      return a == b
    }
  }
}

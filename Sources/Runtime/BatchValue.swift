import Distributions

/// A register of a batched execution (`BatchExecution`): one value that every member of
/// the batch shares (data, parameters, loop counters), or a column of one value per
/// member.
public enum BatchValue {
  case uniform(Value)
  case column(Column)

  /// Member `i`'s value.
  @inline(__always)
  public func value(at i: Int) -> Value {
    switch self {
    case .uniform(let v): return v
    case .column(let c): return c[i]
    }
  }

  public var isUniform: Bool { if case .uniform = self { return true } else { return false } }

  /// Whether any member's value is being differentiated (only generic columns can be).
  public var isDifferentiated: Bool {
    switch self {
    case .uniform(let v): return Autodiff.isTracked(v)
    case .column(.values(let vs)): return vs.contains(where: Autodiff.isTracked)
    case .column: return false
    }
  }

  /// The values of members at `positions`, in that order.
  public func gathered(_ positions: [Int]) -> BatchValue {
    switch self {
    case .uniform: return self
    case .column(let c): return .column(c.gathered(positions))
    }
  }

  /// One value per member for `count` members (a uniform value repeated).
  public func column(count: Int) -> Column {
    switch self {
    case .column(let c): return c
    case .uniform(.real(let x)): return .reals(Array(repeating: x, count: count))
    case .uniform(.int(let x)): return .ints(Array(repeating: x, count: count))
    case .uniform(.bool(let x)): return .bools(Array(repeating: x, count: count))
    case .uniform(let v): return .values(Array(repeating: v, count: count))
    }
  }

  /// The values of two batches one after the other (a uniform value stays uniform
  /// where both share it).
  static func joined(_ a: BatchValue, _ n: Int, _ b: BatchValue, _ m: Int) -> BatchValue {
    if case .uniform(let x) = a, case .uniform(let y) = b, Operations.equal(x, y) { return a }
    return .column(Column.joined(a.column(count: n), b.column(count: m)))
  }

  /// Each member's value as a number (a Bool as 0 or 1, as families score them), or
  /// nil where some are not Reals, Ints or Bools.
  public func numbers(count: Int) -> [Double]? {
    switch self {
    case .uniform(.real(let x)): return Array(repeating: x, count: count)
    case .uniform(.int(let x)): return Array(repeating: Double(x), count: count)
    case .uniform(.bool(let x)): return Array(repeating: x ? 1 : 0, count: count)
    case .column(.reals(let xs)): return xs
    case .column(.ints(let xs)): return xs.map(Double.init)
    case .column(.bools(let xs)): return xs.map { $0 ? 1 : 0 }
    default: return nil
    }
  }

  /// Each member's value as a Real, or nil where some are not Reals.
  public func reals(count: Int) -> [Double]? {
    switch self {
    case .uniform(.real(let x)): return Array(repeating: x, count: count)
    case .column(.reals(let xs)): return xs
    default: return nil
    }
  }
}

/// One value per member of a batch, stored by kind so that arithmetic, draws and
/// log-densities over a whole population run as loops over plain arrays.
public enum Column {
  case reals([Double])
  case ints([Int])
  case bools([Bool])
  /// A distribution of one family per member.
  case distributions(DistributionColumn)
  /// Anything else (lists, records, tensors, differentiated values), member by member.
  case values([Value])

  public var count: Int {
    switch self {
    case .reals(let x): return x.count
    case .ints(let x): return x.count
    case .bools(let x): return x.count
    case .distributions(let d): return d.count
    case .values(let x): return x.count
    }
  }

  public subscript(i: Int) -> Value {
    switch self {
    case .reals(let x): return .real(x[i])
    case .ints(let x): return .int(x[i])
    case .bools(let x): return .bool(x[i])
    case .distributions(let d): return .dist(d[i])
    case .values(let x): return x[i]
    }
  }

  /// Values stored by kind where they all share one (Reals, Ints or Bools).
  public static func packing(_ values: [Value]) -> Column {
    switch values.first {
    case .real?:
      var out = [Double](repeating: 0, count: values.count)
      for (i, v) in values.enumerated() { guard case .real(let x) = v else { return .values(values) }; out[i] = x }
      return .reals(out)
    case .int?:
      var out = [Int](repeating: 0, count: values.count)
      for (i, v) in values.enumerated() { guard case .int(let x) = v else { return .values(values) }; out[i] = x }
      return .ints(out)
    case .bool?:
      var out = [Bool](repeating: false, count: values.count)
      for (i, v) in values.enumerated() { guard case .bool(let x) = v else { return .values(values) }; out[i] = x }
      return .bools(out)
    default:
      return .values(values)
    }
  }

  func gathered(_ positions: [Int]) -> Column {
    switch self {
    case .reals(let x): return .reals(positions.map { x[$0] })
    case .ints(let x): return .ints(positions.map { x[$0] })
    case .bools(let x): return .bools(positions.map { x[$0] })
    case .distributions(let d): return .distributions(d.gathered(positions))
    case .values(let x): return .values(positions.map { x[$0] })
    }
  }

  static func joined(_ a: Column, _ b: Column) -> Column {
    switch (a, b) {
    case (.reals(let x), .reals(let y)): return .reals(x + y)
    case (.ints(let x), .ints(let y)): return .ints(x + y)
    case (.bools(let x), .bools(let y)): return .bools(x + y)
    default: return .values((0..<a.count).map { a[$0] } + (0..<b.count).map { b[$0] })
    }
  }
}

/// A distribution of one family for each member: each parameter shared by all members
/// (one number) or given per member.
public struct DistributionColumn {
  public let family: Family
  /// One array per parameter, of one element (shared) or `count`.
  public let parameters: [[Double]]
  public let count: Int

  /// Validates every member's parameters, naming the family and parameter as the
  /// scalar builtin does.
  public init(_ family: Family, _ parameters: [[Double]], count: Int) throws {
    self.family = family
    self.parameters = parameters
    self.count = count
    try family.validate(columns: parameters, count: count)
  }

  /// One distribution shared by `count` members (validated once).
  public init(_ family: Family, _ p: Params, count: Int) throws {
    try family.validate(p)
    self.init(unchecked: family, (0..<family.arity).map { [p[$0]] }, count: count)
  }

  private init(unchecked family: Family, _ parameters: [[Double]], count: Int) {
    self.family = family
    self.parameters = parameters
    self.count = count
  }

  /// The parameters in the form the family's bulk loops read.
  public var elements: ElementParameters { ElementParameters(columns: parameters, count: count) }

  public subscript(i: Int) -> Distribution {
    var p = Params(0)
    for (k, column) in parameters.enumerated() { p[k] = column.count == 1 ? column[0] : column[i] }
    return .scalar(family, p)
  }

  func gathered(_ positions: [Int]) -> DistributionColumn {
    DistributionColumn(unchecked: family, parameters.map { c in c.count == 1 ? c : positions.map { c[$0] } }, count: positions.count)
  }

  /// One draw per member, as the family's values (Reals, Ints or Bools).
  public func sample(_ rng: inout RandomGenerator) throws -> Column {
    if family.isImproper { throw family.improperDrawError }
    var out = [Double](repeating: 0, count: count)
    family.definition.sampleElements(elements, &rng, into: &out)
    if family.kind == .int { for x in out { try family.checkCount(x) } }
    switch family.kind {
    case .real: return .reals(out)
    case .int: return .ints(out.map(Outcome.integer))
    case .bool: return .bools(out.map { $0 != 0 })
    }
  }

  /// Each member's log-density at its value `x`.
  public func logDensities(_ x: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: count)
    family.definition.logDensities(elements, x, into: &out)
    return out
  }
}

import Foundation
import Syntax

/// The machine's operators over batch registers: on whole columns where the operands
/// are Reals, Ints or Bools, member by member (through `Operations`) otherwise. A
/// uniform result comes from uniform operands only.
enum BatchOperations {
  /// Applies a scalar operation member by member.
  static func lift(_ operands: [BatchValue], count n: Int, _ body: ([Value]) throws -> Value) rethrows -> BatchValue {
    if operands.allSatisfy(\.isUniform) { return .uniform(try body(operands.map { $0.value(at: 0) })) }
    var out: [Value] = []
    out.reserveCapacity(n)
    for i in 0..<n { out.append(try body(operands.map { $0.value(at: i) })) }
    return .column(.packing(out))
  }

  static func binary(_ op: BinaryOp, _ a: BatchValue, _ b: BatchValue, count n: Int) throws -> BatchValue {
    if case .uniform(let x) = a, case .uniform(let y) = b { return .uniform(try Operations.binary(op, x, y)) }
    if let x = a.reals(count: n), let y = b.reals(count: n) { return reals(op, x, y) }
    if let x = a.ints(count: n), let y = b.ints(count: n), let result = try ints(op, x, y) { return result }
    return try lift([a, b], count: n) { try Operations.binary(op, $0[0], $0[1]) }
  }

  private static func reals(_ op: BinaryOp, _ x: [Double], _ y: [Double]) -> BatchValue {
    switch op {
    case .add: return .column(.reals(zip(x, y).map { $0 + $1 }))
    case .sub: return .column(.reals(zip(x, y).map { $0 - $1 }))
    case .mul: return .column(.reals(zip(x, y).map { $0 * $1 }))
    case .div: return .column(.reals(zip(x, y).map { $0 / $1 }))
    case .lt: return .column(.bools(zip(x, y).map { $0 < $1 }))
    case .le: return .column(.bools(zip(x, y).map { $0 <= $1 }))
    case .gt: return .column(.bools(zip(x, y).map { $0 > $1 }))
    case .ge: return .column(.bools(zip(x, y).map { $0 >= $1 }))
    default: return .column(.packing(zip(x, y).map { Operations.realBinary(op, $0, $1) }))
    }
  }

  /// Int arithmetic and comparisons with the scalar overflow checks; nil for the rest.
  private static func ints(_ op: BinaryOp, _ x: [Int], _ y: [Int]) throws -> BatchValue? {
    func checked(_ f: (Int, Int) -> (partialValue: Int, overflow: Bool)) throws -> BatchValue {
      var out = [Int](repeating: 0, count: x.count)
      for i in x.indices {
        let r = f(x[i], y[i])
        if r.overflow { throw RuntimeError("integer overflow in '\(op.rawValue)'") }
        out[i] = r.partialValue
      }
      return .column(.ints(out))
    }
    switch op {
    case .add: return try checked { $0.addingReportingOverflow($1) }
    case .sub: return try checked { $0.subtractingReportingOverflow($1) }
    case .mul: return try checked { $0.multipliedReportingOverflow(by: $1) }
    case .lt: return .column(.bools(zip(x, y).map { $0 < $1 }))
    case .le: return .column(.bools(zip(x, y).map { $0 <= $1 }))
    case .gt: return .column(.bools(zip(x, y).map { $0 > $1 }))
    case .ge: return .column(.bools(zip(x, y).map { $0 >= $1 }))
    case .eq: return .column(.bools(zip(x, y).map { $0 == $1 }))
    case .ne: return .column(.bools(zip(x, y).map { $0 != $1 }))
    default: return nil
    }
  }

  static func negate(_ a: BatchValue, count n: Int) throws -> BatchValue {
    if case .column(.reals(let x)) = a { return .column(.reals(x.map { -$0 })) }
    return try lift([a], count: n) { try Operations.negate($0[0]) }
  }

  static func intrinsic(_ f: Intrinsic, _ a: BatchValue, count n: Int) throws -> BatchValue {
    switch a {
    case .column(.reals(let x)) where f != .realOfInt:
      return .column(.reals(x.map(f.apply)))
    case .column(.ints(let x)) where f == .realOfInt:
      return .column(.reals(x.map(Double.init)))
    default:
      return try lift([a], count: n) { try Operations.intrinsic(f, $0[0]) }
    }
  }

  static func not(_ a: BatchValue, count n: Int) throws -> BatchValue {
    if case .column(.bools(let x)) = a { return .column(.bools(x.map { !$0 })) }
    return try lift([a], count: n) { v in
      guard case .bool(let x) = v[0] else { throw Operations.mismatch }
      return .bool(!x)
    }
  }

  static func equal(_ a: BatchValue, _ b: BatchValue, count n: Int, negated: Bool) -> BatchValue {
    if let x = a.reals(count: n), let y = b.reals(count: n) {
      return .column(.bools(zip(x, y).map { ($0 == $1) != negated }))
    }
    return lift([a, b], count: n) { .bool(Operations.equal($0[0], $0[1]) != negated) }
  }
}

extension BatchValue {
  /// Each member's value as an Int, or nil where some are not Ints.
  func ints(count: Int) -> [Int]? {
    switch self {
    case .uniform(.int(let x)): return Array(repeating: x, count: count)
    case .column(.ints(let xs)): return xs
    default: return nil
    }
  }
}

import Distributions
import Foundation
import Syntax
import Tensor

/// The slow paths of the machine's operators: anything not specialized to Int/Real
/// registers (integer division and powers, tensors, strings, structural equality).
enum Operations {
  static let mismatch = RuntimeError("internal: operand of unexpected type")

  static func equal(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x == y
    case (.real(let x), .real(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.unit, .unit): return true
    case (.list(let xs), .list(let ys)), (.tuple(let xs), .tuple(let ys)), (.record(_, let xs), .record(_, let ys)):
      return xs.count == ys.count && zip(xs, ys).allSatisfy { equal($0, $1) }
    case (.tensor(let x), .tensor(let y)): return x == y
    case (.address(let x), .address(let y)): return x == y
    case (.dist(let x), .dist(let y)): return x == y
    case (.tracked, _), (_, .tracked):
      return a.outcome != nil && a.outcome == b.outcome
    case (.closure(let x), .closure(let y)): return x === y
    case (.builtin(let x), .builtin(let y)): return x === y
    case (.object(let x), .object(let y)): return x === y
    default: return false
    }
  }

  static func negate(_ a: Value) throws -> Value {
    switch a {
    case .int(let x):
      guard x != .min else { throw RuntimeError("integer overflow in '-'") }
      return .int(-x)
    case .real(let x): return .real(-x)
    case .tensor(let t): return .tensor(t.map { -$0 })
    case .tracked(let t): return try Autodiff.value(Differentiable.map(.tracked(t), { -$0 }, derivative: { _, _ in -1 }))
    default: throw mismatch
    }
  }

  static func binary(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
    if case .tracked = a { return try Autodiff.binary(op, a, b) }
    if case .tracked = b { return try Autodiff.binary(op, a, b) }
    switch (a, b) {
    case (.int(let x), .int(let y)): return try intBinary(op, x, y)
    case (.real(let x), .real(let y)): return realBinary(op, x, y)
    case (.string(let x), .string(let y)):
      switch op {
      case .add:
        try Capacity.checkString(x.utf8.count + y.utf8.count)
        return .string(x + y)
      case .lt: return .bool(x < y)
      case .le: return .bool(x <= y)
      case .gt: return .bool(x > y)
      case .ge: return .bool(x >= y)
      default: throw mismatch
      }
    case (.tensor(let x), .tensor(let y)):
      return .tensor(try tensorBinary(op, x, y))
    case (.tensor(let x), .real(let y)):
      return .tensor(try tensorBinary(op, x, Tensor(shape: [], data: [y])))
    case (.real(let x), .tensor(let y)):
      return .tensor(try tensorBinary(op, Tensor(shape: [], data: [x]), y))
    default:
      throw mismatch
    }
  }

  static func intBinary(_ op: BinaryOp, _ x: Int, _ y: Int) throws -> Value {
    func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
      if r.overflow { throw RuntimeError("integer overflow in '\(op.rawValue)'") }
      return .int(r.partialValue)
    }
    switch op {
    case .add: return try checked(x.addingReportingOverflow(y))
    case .sub: return try checked(x.subtractingReportingOverflow(y))
    case .mul: return try checked(x.multipliedReportingOverflow(by: y))
    case .div:
      guard y != 0 else { throw RuntimeError("integer division by zero") }
      return try checked(x.dividedReportingOverflow(by: y))
    case .mod:
      guard y != 0 else { throw RuntimeError("integer division by zero") }
      return try checked(x.remainderReportingOverflow(dividingBy: y))
    case .pow:
      guard y >= 0 else { throw RuntimeError("negative exponent \(y) in an Int power; use Reals") }
      var result = 1, base = x, e = y
      while e > 0 {
        if e & 1 == 1 {
          let r = result.multipliedReportingOverflow(by: base)
          if r.overflow { throw RuntimeError("integer overflow in '**'") }
          result = r.partialValue
        }
        e >>= 1
        if e > 0 {
          let r = base.multipliedReportingOverflow(by: base)
          if r.overflow { throw RuntimeError("integer overflow in '**'") }
          base = r.partialValue
        }
      }
      return .int(result)
    case .lt: return .bool(x < y)
    case .le: return .bool(x <= y)
    case .gt: return .bool(x > y)
    case .ge: return .bool(x >= y)
    case .eq: return .bool(x == y)
    case .ne: return .bool(x != y)
    case .and, .or: throw mismatch
    }
  }

  static func realBinary(_ op: BinaryOp, _ x: Double, _ y: Double) -> Value {
    switch op {
    case .add: return .real(x + y)
    case .sub: return .real(x - y)
    case .mul: return .real(x * y)
    case .div: return .real(x / y)
    case .mod: return .real(fmod(x, y))
    case .pow: return .real(pow(x, y))
    case .lt: return .bool(x < y)
    case .le: return .bool(x <= y)
    case .gt: return .bool(x > y)
    case .ge: return .bool(x >= y)
    case .eq: return .bool(x == y)
    case .ne: return .bool(x != y)
    case .and, .or: return .bool(false)
    }
  }

  /// The tensor arithmetic an operator performs (nil for `%`, comparisons and logic).
  static func arithmetic(_ op: BinaryOp) -> Tensor.Arithmetic? {
    switch op {
    case .add: return .add
    case .sub: return .sub
    case .mul: return .mul
    case .div: return .div
    case .pow: return .pow
    default: return nil
    }
  }

  static func tensorBinary(_ op: BinaryOp, _ x: Tensor, _ y: Tensor) throws -> Tensor {
    do {
      if let a = arithmetic(op) { return try Tensor.combine(x, y, a) }
      guard op == .mod else { throw mismatch }
      return try Tensor.zipWith(x, y, fmod)
    } catch let e as TensorError {
      throw RuntimeError(e.message)
    }
  }

  static func address(_ v: Value) throws -> Address {
    guard let a = Address(value: v) else {
      throw RuntimeError("an address is a String, an Int, or a tuple of them; found \(v.typeName)")
    }
    return a
  }

  static func integerIndex(_ v: Value, count: Int) throws -> Int {
    guard case .int(let i) = v else { throw mismatch }
    let j = i < 0 ? i + count : i
    guard j >= 0 && j < count else { throw RuntimeError("index \(i) out of range for length \(count)") }
    return j
  }

  static func index(_ base: Value, _ indices: [Value], _ context: RuntimeContext) throws -> Value {
    switch base {
    case .list(let xs):
      if case .list(let r) = indices[0] {
        // A range slice arrives as the materialized list of its indices.
        let lo = r.first.flatMap { if case .int(let i) = $0 { return i } else { return nil } } ?? 0
        let hi = r.last.flatMap { if case .int(let i) = $0 { return i + 1 } else { return nil } } ?? lo
        guard lo >= 0 && hi <= xs.count else { throw RuntimeError("slice \(lo)..<\(hi) out of range for length \(xs.count)") }
        return .list(Array(xs[lo..<hi]))
      }
      return xs[try integerIndex(indices[0], count: xs.count)]
    case .tensor(let t):
      let (positions, shape) = try tensorPositions(t, indices)
      if shape.isEmpty { return .real(t.data[positions[0]]) }
      return .tensor(Tensor(shape: shape, data: positions.map { t.data[$0] }))
    case .tracked(let tracked):
      let (positions, shape) = try tensorPositions(tracked.value, indices)
      return try Autodiff.value(Differentiable.gather(.tracked(tracked), positions: positions, shape: shape))
    case .object:
      return try context.builtins.lookup(base, indices[0])
    default:
      throw mismatch
    }
  }

  /// The flat positions selected by indices and slices, and the result's shape
  /// (axes indexed by an Int are dropped).
  static func tensorPositions(_ t: Tensor, _ indices: [Value]) throws -> (positions: [Int], shape: [Int]) {
    guard indices.count <= t.rank else {
      throw RuntimeError("too many indices (\(indices.count)) for a tensor of shape \(t.shape)")
    }
    var ranges: [Range<Int>] = []
    var keep: [Bool] = []
    for (axis, index) in indices.enumerated() {
      let n = t.shape[axis]
      if case .list(let r) = index {
        let lo = r.first.flatMap { if case .int(let i) = $0 { return i } else { return nil } } ?? 0
        let hi = r.last.flatMap { if case .int(let i) = $0 { return i + 1 } else { return nil } } ?? lo
        guard lo >= 0 && hi <= n else { throw RuntimeError("slice \(lo)..<\(hi) out of range for axis \(axis) of length \(n)") }
        ranges.append(lo..<hi)
        keep.append(true)
      } else {
        let i = try integerIndex(index, count: n)
        ranges.append(i..<(i + 1))
        keep.append(false)
      }
    }
    for axis in indices.count..<t.rank {
      ranges.append(0..<t.shape[axis])
      keep.append(true)
    }
    let strides = t.strides
    var positions: [Int] = []
    positions.reserveCapacity(ranges.reduce(1) { $0 * $1.count })
    func walk(_ axis: Int, _ offset: Int) {
      if axis == t.rank {
        positions.append(offset)
        return
      }
      for i in ranges[axis] { walk(axis + 1, offset + i * strides[axis]) }
    }
    walk(0, 0)
    return (positions, zip(ranges, keep).filter { $0.1 }.map { $0.0.count })
  }
}

extension Operations {
  @inline(__always)
  static func intrinsic(_ f: Intrinsic, _ a: Value) throws -> Value {
    if case .int(let i) = a, f == .realOfInt { return .real(Double(i)) }
    if case .tracked = a, let u = f.function { return try Autodiff.unaryMath(u, a) }
    guard case .real(let x) = a else { throw mismatch }
    return .real(f.apply(x))
  }

  /// The element after `i` items of a collection a loop iterates over, or nil at its end.
  static func element(_ collection: Value, _ i: Int, _ context: RuntimeContext) throws -> Value? {
    switch collection {
    case .list(let xs): return i < xs.count ? xs[i] : nil
    case .tensor(let t): return i < (t.shape.first ?? 0) ? (t.rank == 1 ? .real(t.data[i]) : .tensor(t.row(i))) : nil
    case .tracked(let t): return i < (t.value.shape.first ?? 0) ? try index(collection, [.int(i)], context) : nil
    default: throw mismatch
    }
  }

  /// The list of Ints from `lo` up to `hi` (inclusive or not), within the list capacity.
  static func range(_ lo: Value, _ hi: Value, inclusive: Bool) throws -> Value {
    guard case .int(let a) = lo, case .int(let b) = hi else { throw mismatch }
    let last = inclusive ? b : b &- 1  // b − 1 cannot wrap unless b is Int.min: then empty
    guard a <= last && !(b == .min && !inclusive) else { return .list([]) }
    let (span, wide) = last.subtractingReportingOverflow(a)  // count − 1; wide bounds overflow
    try Capacity.checkList(wide || span >= Capacity.listElements ? Int.max : span + 1)
    return .list((a...last).map { .int($0) })
  }
}

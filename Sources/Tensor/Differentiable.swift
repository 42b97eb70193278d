import Foundation

/// Differentiable operations on operands: each computes its value and, when any
/// operand is tracked, records its pullback on the tape right beside the forward rule.
/// Results with no tracked operand are plain constants.
public enum Differentiable {
  /// Records a result whose parents are the tracked operands among `operands`;
  /// `pullback` returns a gradient for every operand (constants' are dropped).
  static func result(_ value: Tensor, _ operands: [Operand], _ pullback: @escaping (Tensor) throws -> [Tensor]) throws -> Operand {
    var tracked: [Tracked] = []
    var positions: [Int] = []
    for (i, o) in operands.enumerated() {
      if case .tracked(let t) = o {
        if let first = tracked.first, first.tape !== t.tape {
          throw TensorError("values from two different differentiations meet (nested grad is not supported)")
        }
        tracked.append(t)
        positions.append(i)
      }
    }
    guard let tape = tracked.first?.tape else { return .constant(value) }
    return .tracked(tape.record(value, parents: tracked) { g in
      let all = try pullback(g)
      return positions.map { all[$0] }
    })
  }

  /// Records a scalar result of scalar operands by its rule (no closure); a constant
  /// where no operand is tracked.
  static func scalarResult(_ value: Tensor, _ a: Operand, _ b: Operand?, _ rule: ScalarRule) throws -> Operand {
    var first: Tracked?, second: Tracked?
    if case .tracked(let t) = a { first = t }
    if case .tracked(let t)? = b { second = t }
    if let first, let second, first.tape !== second.tape {
      throw TensorError("values from two different differentiations meet (nested grad is not supported)")
    }
    guard let tape = first?.tape ?? second?.tape else { return .constant(value) }
    return .tracked(tape.recordScalar(value, rule, first: first, second: second))
  }

  // MARK: Elementwise

  public static func binary(_ op: Tensor.Arithmetic, _ a: Operand, _ b: Operand) throws -> Operand {
    let x = a.value, y = b.value
    let z = try Tensor.combine(x, y, op)
    if x.rank == 0 && y.rank == 0 {
      let (u, v, w) = (x.data[0], y.data[0], z.data[0])
      let rule: ScalarRule
      switch op {
      case .add: rule = .add
      case .sub: rule = .sub
      case .mul: rule = .mul(x: u, y: v)
      case .div: rule = .div(y: v, z: w)
      case .pow: rule = .pow(x: u, y: v, z: w, exponentIsConstant: b.isConstant)
      }
      return try scalarResult(z, a, b, rule)
    }
    // Pullbacks capture tensors and flags only: capturing an operand would keep its
    // tape alive from inside the tape (a reference cycle).
    let exponentIsConstant = b.isConstant
    return try result(z, [a, b]) { g in
      let ga: Tensor, gb: Tensor
      switch op {
      case .add: (ga, gb) = (g, g)
      case .sub: (ga, gb) = (g, g.map { -$0 })
      case .mul: (ga, gb) = (try g * y, try g * x)
      case .div: (ga, gb) = (try g / y, try (g * z / y).map { -$0 })
      case .pow:
        // d(x^y)/dx = y x^(y-1) (2x for the common square); d(x^y)/dy = x^y log x,
        // needed only when the exponent is being differentiated.
        let dx = y.count == 1 && y.data[0] == 2 ? x.map { 2 * $0 }
          : try Tensor.zipWith(x, y) { u, v in v == 0 ? 0 : v * Foundation.pow(u, v - 1) }
        ga = try g * dx
        gb = exponentIsConstant ? Tensor(shape: y.shape, repeating: 0)
          : try g * Tensor.zipWith(x, z) { u, w in u > 0 ? w * Foundation.log(u) : 0 }
      }
      return [try ga.unbroadcast(to: x.shape), try gb.unbroadcast(to: y.shape)]
    }
  }

  /// An elementwise math function (forward and derivative loops specialized per function).
  public static func unary(_ f: UnaryFunction, _ a: Operand) throws -> Operand {
    let x = a.value
    if case .tracked = a, f == .digamma {
      throw TensorError("digamma has no derivative rule, so it cannot take a value that is being differentiated")
    }
    let y = f.apply(x)
    if x.rank == 0 { return try scalarResult(y, a, nil, .unary(f, x: x.data[0], y: y.data[0])) }
    return try result(y, [a]) { g in [f.pullback(g, x, y) ?? Tensor(shape: x.shape, repeating: 0)] }
  }

  /// An elementwise function with its derivative (given the input and the output).
  public static func map(_ a: Operand, _ f: (Double) -> Double, derivative: @escaping (Double, Double) -> Double) throws -> Operand {
    let x = a.value
    let y = x.map(f)
    return try result(y, [a]) { g in
      var d = g
      for i in 0..<d.count { d.data[i] = g.data[i] * derivative(x.data[i], y.data[i]) }
      return [d]
    }
  }

  // MARK: Linear algebra

  public static func matmul(_ a: Operand, _ b: Operand) throws -> Operand {
    let x = a.value, y = b.value
    let z = try Tensor.matmul(x, y)
    return try result(z, [a, b]) { g in
      // Lift 1-D operands to matrices, as the forward rule does.
      let g2 = Tensor(shape: [x.rank == 2 ? x.shape[0] : 1, y.rank == 2 ? y.shape[1] : 1], data: g.data)
      let x2 = x.rank == 2 ? x : Tensor(shape: [1, x.count], data: x.data)
      let y2 = y.rank == 2 ? y : Tensor(shape: [y.count, 1], data: y.data)
      let gx = try Tensor.matmul(g2, y2, transposeB: true)
      let gy = try Tensor.matmul(x2, g2, transposeA: true)
      return [Tensor(shape: x.shape, data: gx.data), Tensor(shape: y.shape, data: gy.data)]
    }
  }

  public static func dot(_ a: Operand, _ b: Operand) throws -> Operand {
    let x = a.value, y = b.value
    guard x.shape == y.shape else { throw TensorError("dot: shapes \(x.shape) and \(y.shape) differ") }
    let value = zip(x.data, y.data).reduce(0) { $0 + $1.0 * $1.1 }
    return try result(.scalar(value), [a, b]) { g in [y.map { $0 * g.data[0] }, x.map { $0 * g.data[0] }] }
  }

  public static func transpose(_ a: Operand) throws -> Operand {
    let x = a.value
    return try result(try x.transposed(), [a]) { g in [try g.transposed()] }
  }

  public static func reshape(_ a: Operand, _ shape: [Int]) throws -> Operand {
    let x = a.value
    return try result(try x.reshaped(shape), [a]) { g in [Tensor(shape: x.shape, data: g.data)] }
  }

  // MARK: Reductions

  public static func sum(_ a: Operand) throws -> Operand {
    let x = a.value
    return try result(.scalar(x.sum()), [a]) { g in [Tensor(shape: x.shape, repeating: g.data[0])] }
  }

  public static func sum(_ a: Operand, axis: Int) throws -> Operand {
    let x = a.value
    let k = axis < 0 ? axis + x.rank : axis
    let s = try x.sum(axis: k)
    return try result(s, [a]) { g in [g.expand(axis: k, size: x.shape[k])] }
  }

  public static func logsumexp(_ a: Operand) throws -> Operand {
    let x = a.value
    let m = x.data.max() ?? -.infinity
    let l = m.isFinite ? m + Foundation.log(x.data.reduce(0) { $0 + Foundation.exp($1 - m) }) : m
    return try result(.scalar(l), [a]) { g in [x.map { Foundation.exp($0 - l) * g.data[0] }] }
  }

  /// Softmax (or its log) over the last axis.
  public static func softmax(_ a: Operand, log takeLog: Bool) throws -> Operand {
    let x = a.value
    let n = x.shape.last ?? 1
    var y = x
    for start in stride(from: 0, to: x.count, by: max(n, 1)) {
      let row = x.data[start..<(start + n)]
      let m = row.max() ?? 0
      let l = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
      for i in start..<(start + n) { y.data[i] = takeLog ? x.data[i] - l : Foundation.exp(x.data[i] - l) }
    }
    return try result(y, [a]) { g in
      var d = g
      for start in stride(from: 0, to: x.count, by: max(n, 1)) {
        if takeLog {
          let total = g.data[start..<(start + n)].reduce(0, +)
          for i in start..<(start + n) { d.data[i] = g.data[i] - Foundation.exp(y.data[i]) * total }
        } else {
          var inner = 0.0
          for i in start..<(start + n) { inner += g.data[i] * y.data[i] }
          for i in start..<(start + n) { d.data[i] = y.data[i] * (g.data[i] - inner) }
        }
      }
      return [d]
    }
  }

  // MARK: Indexing and assembly

  /// Gathers the elements at flat positions `positions` into `shape`.
  public static func gather(_ a: Operand, positions: [Int], shape: [Int]) throws -> Operand {
    let x = a.value
    let y = Tensor(shape: shape, data: positions.map { x.data[$0] })
    if shape.isEmpty, positions.count == 1, x.rank > 0, case .tracked(let t) = a {
      return .tracked(t.tape.recordElement(y, of: t, at: positions[0]))
    }
    return try result(y, [a]) { g in
      var d = Tensor(shape: x.shape, repeating: 0)
      for (k, p) in positions.enumerated() { d.data[p] += g.data[k] }
      return [d]
    }
  }

  /// Stacks equally shaped operands along a new first axis.
  public static func stack(_ parts: [Operand]) throws -> Operand {
    guard let first = parts.first?.value else { throw TensorError("stack needs at least one tensor") }
    guard parts.allSatisfy({ $0.value.shape == first.shape }) else { throw TensorError("stack: tensors must share one shape") }
    try Tensor.checkSize([parts.count] + first.shape)
    let y = Tensor(shape: [parts.count] + first.shape, data: parts.flatMap(\.value.data))
    let size = first.count, count = parts.count
    return try result(y, parts) { g in
      (0..<count).map { Tensor(shape: first.shape, data: Array(g.data[($0 * size)..<(($0 + 1) * size)])) }
    }
  }

  /// Joins operands along the first axis.
  public static func concat(_ parts: [Operand]) throws -> Operand {
    guard let first = parts.first?.value else { throw TensorError("concat needs at least one tensor") }
    guard parts.allSatisfy({ $0.value.rank == first.rank && $0.value.shape.dropFirst() == first.shape.dropFirst() }) else {
      throw TensorError("concat: tensors must agree on every axis but the first")
    }
    let rows = parts.reduce(0) { $0 + ($1.value.shape.first ?? 0) }
    try Tensor.checkSize([rows] + first.shape.dropFirst())
    let y = Tensor(shape: [rows] + first.shape.dropFirst(), data: parts.flatMap(\.value.data))
    let shapes = parts.map(\.value.shape)
    return try result(y, parts) { g in
      var offset = 0
      return shapes.map { shape in
        let n = shape.reduce(1, *)
        defer { offset += n }
        return Tensor(shape: shape, data: Array(g.data[offset..<(offset + n)]))
      }
    }
  }

  /// A function of several scalar operands with known partial derivatives (used for
  /// log-densities): `partials(g)` gives the gradient for each operand's shape.
  public static func custom(_ value: Tensor, _ operands: [Operand], _ pullback: @escaping (Tensor) throws -> [Tensor]) throws -> Operand {
    try result(value, operands, pullback)
  }
}

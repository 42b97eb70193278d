import Foundation

/// Elementwise arithmetic with fast loops for the shapes models use: equal shapes,
/// a scalar on either side, and a trailing-axes operand (a bias row added to every row
/// of a batch). Other broadcasts take the general path (`zipWith`).
extension Tensor {
  public enum Arithmetic { case add, sub, mul, div, pow }

  public static func combine(_ a: Tensor, _ b: Tensor, _ op: Arithmetic) throws -> Tensor {
    if a.shape == b.shape { return Tensor(shape: a.shape, data: loop(a.data, b.data, op)) }
    if b.count == 1 && b.rank <= a.rank { return Tensor(shape: a.shape, data: loop(a.data, b.data[0], op, scalarRight: true)) }
    if a.count == 1 && a.rank <= b.rank { return Tensor(shape: b.shape, data: loop(b.data, a.data[0], op, scalarRight: false)) }
    if b.rank < a.rank, Array(a.shape.suffix(b.rank)) == b.shape, b.count > 0 {
      var out = [Double](repeating: 0, count: a.count)
      let n = b.count
      a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
          out.withUnsafeMutableBufferPointer { po in
            for start in stride(from: 0, to: a.count, by: n) {
              apply(op, UnsafeBufferPointer(rebasing: pa[start..<(start + n)]), pb, UnsafeMutableBufferPointer(rebasing: po[start..<(start + n)]))
            }
          }
        }
      }
      return Tensor(shape: a.shape, data: out)
    }
    switch op {
    case .add: return try zipWith(a, b, +)
    case .sub: return try zipWith(a, b, -)
    case .mul: return try zipWith(a, b, *)
    case .div: return try zipWith(a, b, /)
    case .pow: return try zipWith(a, b, Foundation.pow)
    }
  }

  @inline(__always)
  static func apply(_ op: Arithmetic, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>,
                    _ out: UnsafeMutableBufferPointer<Double>) {
    let n = out.count
    switch op {
    case .add: for i in 0..<n { out[i] = x[i] + y[i] }
    case .sub: for i in 0..<n { out[i] = x[i] - y[i] }
    case .mul: for i in 0..<n { out[i] = x[i] * y[i] }
    case .div: for i in 0..<n { out[i] = x[i] / y[i] }
    case .pow: for i in 0..<n { out[i] = y[i] == 2 ? x[i] * x[i] : Foundation.pow(x[i], y[i]) }
    }
  }

  static func loop(_ a: [Double], _ b: [Double], _ op: Arithmetic) -> [Double] {
    var out = [Double](repeating: 0, count: a.count)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { apply(op, pa, pb, $0) } }
    }
    return out
  }

  /// `a op s` (or `s op a` when the scalar is on the left).
  static func loop(_ a: [Double], _ s: Double, _ op: Arithmetic, scalarRight: Bool) -> [Double] {
    var out = [Double](repeating: 0, count: a.count)
    out.withUnsafeMutableBufferPointer { o in
      a.withUnsafeBufferPointer { x in
        let n = x.count
        switch (op, scalarRight) {
        case (.add, _): for i in 0..<n { o[i] = x[i] + s }
        case (.mul, _): for i in 0..<n { o[i] = x[i] * s }
        case (.sub, true): for i in 0..<n { o[i] = x[i] - s }
        case (.sub, false): for i in 0..<n { o[i] = s - x[i] }
        case (.div, true): for i in 0..<n { o[i] = x[i] / s }
        case (.div, false): for i in 0..<n { o[i] = s / x[i] }
        case (.pow, true):
          if s == 2 { for i in 0..<n { o[i] = x[i] * x[i] } } else { for i in 0..<n { o[i] = Foundation.pow(x[i], s) } }
        case (.pow, false): for i in 0..<n { o[i] = Foundation.pow(s, x[i]) }
        }
      }
    }
    return out
  }
}

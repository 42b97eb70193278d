extension Tensor {
  /// A rank-0 tensor holding one number.
  public static func scalar(_ x: Double) -> Tensor { Tensor(shape: [], data: [x]) }

  /// Sums a gradient of a broadcast result back to an operand's shape: over the
  /// leading axes the operand lacks and over axes where it has size 1.
  public func unbroadcast(to target: [Int]) throws -> Tensor {
    if shape == target { return self }
    var t = self
    while t.rank > target.count { t = try t.sum(axis: 0) }
    for axis in 0..<target.count where target[axis] == 1 && t.shape[axis] != 1 {
      var s = try t.sum(axis: axis)
      s.shape.insert(1, at: axis)
      t = s
    }
    guard t.shape == target else { throw TensorError("a gradient of shape \(shape) does not reduce to shape \(target)") }
    return t
  }

  /// Repeats a tensor along a new axis (the inverse of summing it away).
  public func expand(axis: Int, size: Int) -> Tensor {
    var shape = self.shape
    shape.insert(size, at: axis)
    let outer = self.shape[..<axis].reduce(1, *), inner = self.shape[axis...].reduce(1, *)
    var out = [Double](repeating: 0, count: outer * size * inner)
    for o in 0..<outer {
      for k in 0..<size {
        for i in 0..<inner { out[(o * size + k) * inner + i] = data[o * inner + i] }
      }
    }
    return Tensor(shape: shape, data: out)
  }

  /// Elementwise arithmetic with broadcasting; shape errors are thrown.
  public static func + (a: Tensor, b: Tensor) throws -> Tensor { try combine(a, b, .add) }
  public static func - (a: Tensor, b: Tensor) throws -> Tensor { try combine(a, b, .sub) }
  public static func * (a: Tensor, b: Tensor) throws -> Tensor { try combine(a, b, .mul) }
  public static func / (a: Tensor, b: Tensor) throws -> Tensor { try combine(a, b, .div) }
}

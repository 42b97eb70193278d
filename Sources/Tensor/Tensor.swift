/// An n-dimensional array of Doubles in row-major order. A value type: copies share
/// storage until written.
public struct Tensor: Sendable, Equatable {
  public var shape: [Int]
  public var data: [Double]

  public init(shape: [Int], data: [Double]) {
    self.shape = shape
    self.data = data
  }

  public init(shape: [Int], repeating value: Double) {
    self.shape = shape
    self.data = Array(repeating: value, count: shape.reduce(1, *))
  }

  public var count: Int { data.count }
  public var rank: Int { shape.count }

  /// Row-major strides.
  public var strides: [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = s
      s *= shape[i]
    }
    return strides
  }

  public func map(_ f: (Double) -> Double) -> Tensor {
    Tensor(shape: shape, data: data.map(f))
  }
}

extension Tensor {
  /// The most elements one tensor may hold (2 GiB of Doubles): results that would be
  /// larger are refused with an error rather than failing to allocate.
  public static let maxElements = 1 << 28

  /// Throws unless a tensor of `shape` stays within `maxElements` and the memory budget.
  public static func checkSize(_ shape: [Int]) throws {
    var total = 1
    for d in shape {
      let (t, overflow) = total.multipliedReportingOverflow(by: max(d, 0))
      guard !overflow, t <= maxElements else {
        throw TensorError("a tensor of shape \(shape) is too large (limit \(maxElements) elements)")
      }
      total = t
    }
    if total * 8 >= MemoryBudget.checkedBytes { try MemoryBudget.check(adding: total * 8) }
  }
}

/// Shape errors are thrown as values and turned into runtime errors with a span.
public struct TensorError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

extension Tensor {
  /// The broadcast shape of two shapes (NumPy rules), or nil if incompatible.
  public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 0, count: n)
    for i in 0..<n {
      let x = i < n - a.count ? 1 : a[i - (n - a.count)]
      let y = i < n - b.count ? 1 : b[i - (n - b.count)]
      if x != y && x != 1 && y != 1 { return nil }
      out[i] = x == 1 ? y : x  // a size-1 axis takes the other's size, 0 included
    }
    return out
  }

  /// Elementwise combination with broadcasting.
  public static func zipWith(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws -> Tensor {
    if a.shape == b.shape {
      var out = [Double](repeating: 0, count: a.count)
      for i in 0..<a.count { out[i] = f(a.data[i], b.data[i]) }
      return Tensor(shape: a.shape, data: out)
    }
    guard let shape = broadcastShape(a.shape, b.shape) else {
      throw TensorError("shapes \(a.shape) and \(b.shape) cannot be broadcast together")
    }
    try checkSize(shape)
    let n = shape.count
    let total = shape.reduce(1, *)
    func broadcastStrides(_ t: Tensor) -> [Int] {
      let s = t.strides
      return (0..<n).map { i in
        let j = i - (n - t.rank)
        return j < 0 || t.shape[j] == 1 ? 0 : s[j]
      }
    }
    let sa = broadcastStrides(a), sb = broadcastStrides(b)
    var out = [Double](repeating: 0, count: total)
    var index = [Int](repeating: 0, count: n)
    var ia = 0, ib = 0
    for k in 0..<total {
      out[k] = f(a.data[ia], b.data[ib])
      var d = n - 1
      while d >= 0 {
        index[d] += 1
        ia += sa[d]
        ib += sb[d]
        if index[d] < shape[d] { break }
        ia -= sa[d] * shape[d]
        ib -= sb[d] * shape[d]
        index[d] = 0
        d -= 1
      }
    }
    return Tensor(shape: shape, data: out)
  }

  public func sum() -> Double { data.reduce(0, +) }

  /// Sum over one axis, removing it.
  public func sum(axis: Int) throws -> Tensor {
    let axis = axis < 0 ? axis + rank : axis
    guard axis >= 0 && axis < rank else { throw TensorError("axis \(axis) is out of range for a tensor of rank \(rank)") }
    let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
    var out = [Double](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for k in 0..<size {
        let base = (o * size + k) * inner
        for i in 0..<inner { out[o * inner + i] += data[base + i] }
      }
    }
    var newShape = shape
    newShape.remove(at: axis)
    return Tensor(shape: newShape, data: out)
  }

  public func transposed() throws -> Tensor {
    if rank == 1 { return self }
    guard rank == 2 else { throw TensorError("transpose expects a 1-D or 2-D tensor, found shape \(shape)") }
    let r = shape[0], c = shape[1]
    var out = [Double](repeating: 0, count: count)
    for i in 0..<r { for j in 0..<c { out[j * r + i] = data[i * c + j] } }
    return Tensor(shape: [c, r], data: out)
  }

  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    var newShape = newShape
    /// The product of sizes, or nil when one is negative or it overflows.
    func product(_ sizes: [Int]) -> Int? {
      var total = 1
      for d in sizes {
        guard d >= 0 else { return nil }
        let (t, overflow) = total.multipliedReportingOverflow(by: d)
        if overflow { return nil }
        total = t
      }
      return total
    }
    if let k = newShape.firstIndex(of: -1) {
      var others = newShape
      others.remove(at: k)
      guard let rest = product(others), rest > 0, count % rest == 0 else { throw TensorError("cannot reshape \(shape) into \(newShape)") }
      newShape[k] = count / rest
    }
    guard product(newShape) == count else {
      throw TensorError("cannot reshape a tensor of shape \(shape) (\(count) elements) into \(newShape)")
    }
    return Tensor(shape: newShape, data: data)
  }

  /// The sub-tensor at index `i` of the first axis (a row of a matrix).
  public func row(_ i: Int) -> Tensor {
    let inner = shape.dropFirst().reduce(1, *)
    return Tensor(shape: Array(shape.dropFirst()), data: Array(data[(i * inner)..<((i + 1) * inner)]))
  }
}

/// Matrix products through OpenBLAS (`cblas_dgemm`, loaded by `BLASKernel`).
extension Tensor {
  /// A product of matrices, either transposed (`Aᵀ B`, `A Bᵀ`) without copying.
  public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
    if !transposeA && !transposeB && (a.rank != 2 || b.rank != 2) { return try matmul(a, b) }
    guard a.rank == 2, b.rank == 2 else { throw TensorError("transposed matmul expects matrices") }
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let k2 = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
    guard k == k2 else { throw TensorError("matmul: inner dimensions differ (\(a.shape) and \(b.shape))") }
    try checkSize([m, n])
    var out = [Double](repeating: 0, count: m * n)
    if m > 0 && n > 0 && k > 0 {
      try a.data.withUnsafeBufferPointer { pa in
        try b.data.withUnsafeBufferPointer { pb in
          try out.withUnsafeMutableBufferPointer { pc in
            try BLASKernel.gemm(pa.baseAddress, pb.baseAddress, pc.baseAddress, m: m, n: n, k: k,
                                lda: a.shape[1], ldb: b.shape[1], transposeA: transposeA, transposeB: transposeB)
          }
        }
      }
    }
    return Tensor(shape: [m, n], data: out)
  }

  /// Matrix product with NumPy's rules for 1-D operands (a vector on the left is a row,
  /// on the right a column; that axis is dropped from the result).
  public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank >= 1, a.rank <= 2, b.rank >= 1, b.rank <= 2 else {
      throw TensorError("matmul expects 1-D or 2-D tensors, found shapes \(a.shape) and \(b.shape)")
    }
    let a2 = a.rank == 2 ? a : Tensor(shape: [1, a.count], data: a.data)
    let b2 = b.rank == 2 ? b : Tensor(shape: [b.count, 1], data: b.data)
    guard a2.shape[1] == b2.shape[0] else {
      throw TensorError("matmul: inner dimensions differ (\(a.shape) and \(b.shape))")
    }
    let c = try matmul(a2, b2, transposeA: false, transposeB: false)
    var shape: [Int] = []
    if a.rank == 2 { shape.append(c.shape[0]) }
    if b.rank == 2 { shape.append(c.shape[1]) }
    return Tensor(shape: shape, data: c.data)
  }
}


/// Matrix products through OpenBLAS (`cblas_dgemm`, loaded by `BLASKernel`).
extension Tensor {
  /// A product of matrices, either transposed (`Aᵀ B`, `A Bᵀ`) without copying.
  public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
    if !transposeA && !transposeB { return try matmul(a, b) }
    guard a.rank == 2, b.rank == 2 else { throw TensorError("transposed matmul expects matrices") }
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let k2 = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
    guard k == k2 else { throw TensorError("matmul: inner dimensions differ (\(a.shape) and \(b.shape))") }
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

  /// Matrix product with NumPy's rules for 1-D operands, through `cblas_dgemm`.
  public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank >= 1, a.rank <= 2, b.rank >= 1, b.rank <= 2 else {
      throw TensorError("matmul expects 1-D or 2-D tensors, found shapes \(a.shape) and \(b.shape)")
    }
    let m = a.rank == 2 ? a.shape[0] : 1
    let k = a.rank == 2 ? a.shape[1] : a.shape[0]
    let k2 = b.shape[0]
    let n = b.rank == 2 ? b.shape[1] : 1
    guard k == k2 else {
      throw TensorError("matmul: inner dimensions differ (\(a.shape) and \(b.shape))")
    }
    var out = [Double](repeating: 0, count: m * n)
    if m > 0 && n > 0 && k > 0 {
      try a.data.withUnsafeBufferPointer { pa in
        try b.data.withUnsafeBufferPointer { pb in
          try out.withUnsafeMutableBufferPointer { pc in
            try BLASKernel.gemm(pa.baseAddress, pb.baseAddress, pc.baseAddress, m: m, n: n, k: k,
                                lda: k, ldb: n, transposeA: false, transposeB: false)
          }
        }
      }
    }
    var shape: [Int] = []
    if a.rank == 2 { shape.append(m) }
    if b.rank == 2 { shape.append(n) }
    return Tensor(shape: shape, data: out)
  }
}

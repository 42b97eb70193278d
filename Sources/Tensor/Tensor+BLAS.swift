/// Matrix products through OpenBLAS (`cblas_dgemm`, loaded by `BLASKernel`).
extension Tensor {
  /// The multiply-adds one BLAS call does at most when a `checkpoint` is given (about
  /// 0.05 s on one core): a larger product runs as blocks of rows, checking in between.
  static let blockWork = 1 << 27

  /// A product of matrices, either transposed (`Aᵀ B`, `A Bᵀ`) without copying.
  /// `checkpoint` runs between blocks of a large product (the interpreter's limits).
  public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                            checkpoint: (() throws -> Void)? = nil) throws -> Tensor {
    if !transposeA && !transposeB && (a.rank != 2 || b.rank != 2) { return try matmul(a, b, checkpoint: checkpoint) }
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
            // Rows r0..<r1 of the result: those rows of A (columns of the stored A when
            // transposed) times B.
            let rows = checkpoint == nil ? m : max(1, blockWork / max(1, n * k))
            for r0 in stride(from: 0, to: m, by: rows) {
              if r0 > 0 { try checkpoint?() }
              let r1 = min(m, r0 + rows)
              try BLASKernel.gemm(pa.baseAddress.map { $0 + (transposeA ? r0 : r0 * a.shape[1]) }, pb.baseAddress, pc.baseAddress.map { $0 + r0 * n },
                                  m: r1 - r0, n: n, k: k, lda: a.shape[1], ldb: b.shape[1], transposeA: transposeA, transposeB: transposeB)
            }
          }
        }
      }
    }
    return Tensor(shape: [m, n], data: out)
  }

  /// Matrix product with NumPy's rules for 1-D operands (a vector on the left is a row,
  /// on the right a column; that axis is dropped from the result).
  public static func matmul(_ a: Tensor, _ b: Tensor, checkpoint: (() throws -> Void)? = nil) throws -> Tensor {
    guard a.rank >= 1, a.rank <= 2, b.rank >= 1, b.rank <= 2 else {
      throw TensorError("matmul expects 1-D or 2-D tensors, found shapes \(a.shape) and \(b.shape)")
    }
    let a2 = a.rank == 2 ? a : Tensor(shape: [1, a.count], data: a.data)
    let b2 = b.rank == 2 ? b : Tensor(shape: [b.count, 1], data: b.data)
    guard a2.shape[1] == b2.shape[0] else {
      throw TensorError("matmul: inner dimensions differ (\(a.shape) and \(b.shape))")
    }
    let c = try matmul(a2, b2, transposeA: false, transposeB: false, checkpoint: checkpoint)
    var shape: [Int] = []
    if a.rank == 2 { shape.append(c.shape[0]) }
    if b.rank == 2 { shape.append(c.shape[1]) }
    return Tensor(shape: shape, data: c.data)
  }
}

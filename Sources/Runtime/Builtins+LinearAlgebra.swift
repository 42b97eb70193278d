import Tensor

extension RuntimeBuiltins {
  /// `cholesky(a)` and `solve_lower(l, b)`, differentiable, for covariance models written
  /// as Stan writes them (`f = matmul(cholesky(K), z)`).
  static func declareLinearAlgebra(_ r: BuiltinRegistry) {
    r.declare("fn cholesky(a: Tensor) -> Tensor", differentiability: .rule { a, c in
      let x = try operand(a, "a")
      let l = try linearAlgebra(c) { try Cholesky.factor(x.value, checkpoint: c.runtime.checkLimits) }
      return Autodiff.value(try wrap(c) { try Differentiable.custom(l, [x]) { g in [try Cholesky.factorPullback(l, g, checkpoint: c.runtime.checkLimits)] } })
    }) { a, c in
      .tensor(try linearAlgebra(c) { try Cholesky.factor(try a.tensor("a"), checkpoint: c.runtime.checkLimits) })
    }
    r.declare("fn solve_lower(l: Tensor, b: Tensor) -> Tensor", differentiability: .rule { a, c in
      let l = try operand(a, "l"), b = try operand(a, "b")
      let x = try linearAlgebra(c) { try Cholesky.solve(l.value, b.value, checkpoint: c.runtime.checkLimits) }
      return Autodiff.value(try wrap(c) {
        try Differentiable.custom(x, [l, b]) { g in
          // b̄ = L⁻ᵀ x̄ and L̄ = −tril(b̄ xᵀ).
          let gb = try Cholesky.solve(l.value, g, transposed: true, checkpoint: c.runtime.checkLimits)
          let n = l.value.shape[0], k = x.rank == 1 ? 1 : x.shape[1]
          var gl = [Double](repeating: 0, count: n * n)
          for i in 0..<n {
            for j in 0...i {
              var s = 0.0
              for col in 0..<k { s += gb.data[i * k + col] * x.data[j * k + col] }
              gl[i * n + j] = -s
            }
          }
          return [Tensor(shape: [n, n], data: gl), gb]
        }
      })
    }) { a, c in
      .tensor(try linearAlgebra(c) { try Cholesky.solve(try a.tensor("l"), try a.tensor("b"), checkpoint: c.runtime.checkLimits) })
    }
  }

  /// Runs a factorization or solve: shape errors as `wrap` reports them, a matrix with
  /// no factor as an error outside the domain (zero density to a sampler).
  static func linearAlgebra<T>(_ c: CallContext, _ body: () throws -> T) throws -> T {
    do { return try wrap(c, body) } catch let e as Cholesky.NotPositiveDefinite {
      var error = c.fail(e.message)
      error.isOutsideDomain = true
      throw error
    }
  }
}

import Tensor

/// An invertible map of tensors with its log-determinant, for `transformed` (the
/// runtime fills the functions with PPL code). `logDeterminant(z)` is
/// log |det ∂forward/∂z| summed over the rows of z. Equal only to itself.
public final class Transform: @unchecked Sendable, Equatable {
  public let forward: (Tensor) throws -> Tensor
  public let inverse: (Tensor) throws -> Tensor
  public let logDeterminant: (Tensor) throws -> Double

  public init(forward: @escaping (Tensor) throws -> Tensor, inverse: @escaping (Tensor) throws -> Tensor,
              logDeterminant: @escaping (Tensor) throws -> Double) {
    self.forward = forward
    self.inverse = inverse
    self.logDeterminant = logDeterminant
  }

  public static func == (a: Transform, b: Transform) -> Bool { a === b }
}

extension Distribution {
  /// A product distribution over vectors, repeated to score a matrix of such rows
  /// (a flow's base scores every row of a batch); other distributions as they are.
  public func rowsBroadcast(to shape: [Int]) -> Distribution {
    guard case .product(let f, let params, let own) = self, shape.count == 2, own == [shape[1]] else { return self }
    let expanded = params.map { t -> Tensor in
      t.count == 1 ? t : Tensor(shape: shape, data: (0..<shape[0]).flatMap { _ in t.data })
    }
    return .product(f, expanded, shape: shape)
  }
}

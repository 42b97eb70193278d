/// A reverse-mode differentiation tape (Wengert list). A differentiated computation
/// appends a node per operation with the operation's pullback (its vector–Jacobian
/// product); `gradients` sweeps the nodes backward, accumulating into the parents.
public final class Tape {
  struct Node {
    let parents: [Int]
    /// Maps the gradient of the node's value to the gradients of its parents.
    let pullback: ((Tensor) throws -> [Tensor])?
    let shape: [Int]
  }

  private(set) var nodes: [Node] = []

  public init() {}

  /// A new independent variable.
  public func variable(_ value: Tensor) -> Tracked {
    nodes.append(Node(parents: [], pullback: nil, shape: value.shape))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// Records an operation's result; `pullback` returns one gradient per parent, each
  /// already of its parent's shape.
  public func record(_ value: Tensor, parents: [Tracked], pullback: @escaping (Tensor) throws -> [Tensor]) -> Tracked {
    nodes.append(Node(parents: parents.map(\.index), pullback: pullback, shape: value.shape))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// The gradient of `output` (seeded with ones) with respect to every node, nil
  /// where `output` does not depend on the node. A pullback's shape error propagates.
  public func gradients(of output: Tracked) throws -> [Tensor?] {
    var grads = [Tensor?](repeating: nil, count: nodes.count)
    grads[output.index] = Tensor(shape: output.value.shape, repeating: 1)
    for i in stride(from: output.index, through: 0, by: -1) {
      guard let g = grads[i], let pullback = nodes[i].pullback else { continue }
      for (parent, pg) in zip(nodes[i].parents, try pullback(g)) {
        if let existing = grads[parent] { grads[parent] = try Tensor.combine(existing, pg, .add) } else { grads[parent] = pg }
      }
    }
    return grads
  }
}

/// A value that depends on the variables of a tape. It holds its tape; pullbacks must
/// therefore never capture a `Tracked` (or an `Operand` holding one).
public final class Tracked {
  public let tape: Tape
  public let index: Int
  public let value: Tensor

  init(tape: Tape, index: Int, value: Tensor) {
    self.tape = tape
    self.index = index
    self.value = value
  }
}

/// An operand of a differentiable operation: a constant or a tracked value.
public enum Operand {
  case constant(Tensor)
  case tracked(Tracked)

  public var isConstant: Bool {
    if case .constant = self { return true }
    return false
  }

  public var value: Tensor {
    switch self {
    case .constant(let t): return t
    case .tracked(let t): return t.value
    }
  }
}

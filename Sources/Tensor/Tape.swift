/// A reverse-mode differentiation tape (Wengert list). A differentiated computation
/// appends a node per operation with the operation's pullback (its vector–Jacobian
/// product); `gradients` sweeps the nodes backward, accumulating into the parents.
///
/// Operations on scalars (rank 0), which dominate scalar models, record a
/// `ScalarRule` instead of a closure: no allocation for the pullback, its captures or
/// its results, and the sweep accumulates their gradients as plain numbers. Reading one
/// element of a tensor (`beta[k]` in a scalar loop) records the position alone, and the
/// sweep adds its gradient into the tensor's in place.
public final class Tape {
  struct Node {
    /// The parents of a general node (a scalar node keeps its two inline).
    let parents: [Int]
    /// Maps the gradient of the node's value to the gradients of its parents.
    let pullback: ((Tensor) throws -> [Tensor])?
    let shape: [Int]
    /// A scalar operation: its rule and its (at most two) scalar parents, −1 where absent.
    let scalar: (rule: ScalarRule, first: Int, second: Int)?
    /// One element of a tensor node: the parent and the flat position.
    var element: (parent: Int, position: Int)? = nil
  }

  private(set) var nodes: [Node] = []

  public init() {}

  /// A new independent variable.
  public func variable(_ value: Tensor) -> Tracked {
    nodes.append(Node(parents: [], pullback: nil, shape: value.shape, scalar: nil))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// Records an operation's result; `pullback` returns one gradient per parent, each
  /// already of its parent's shape.
  public func record(_ value: Tensor, parents: [Tracked], pullback: @escaping (Tensor) throws -> [Tensor]) -> Tracked {
    nodes.append(Node(parents: parents.map(\.index), pullback: pullback, shape: value.shape, scalar: nil))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// Records a scalar operation of scalar operands (`first` or `second` nil where that
  /// operand is a constant).
  func recordScalar(_ value: Tensor, _ rule: ScalarRule, first: Tracked?, second: Tracked?) -> Tracked {
    nodes.append(Node(parents: [], pullback: nil, shape: [], scalar: (rule, first?.index ?? -1, second?.index ?? -1)))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// Records element `position` of a tracked tensor as a scalar node.
  func recordElement(_ value: Tensor, of parent: Tracked, at position: Int) -> Tracked {
    nodes.append(Node(parents: [], pullback: nil, shape: [], scalar: nil, element: (parent.index, position)))
    return Tracked(tape: self, index: nodes.count - 1, value: value)
  }

  /// The gradient of `output` (seeded with ones) with respect to every variable, nil
  /// where `output` does not depend on it (other nodes' entries are not kept). A
  /// pullback's shape error propagates.
  public func gradients(of output: Tracked) throws -> [Tensor?] {
    let count = output.index + 1
    var grads = [Tensor?](repeating: nil, count: count)
    // Gradients of scalar nodes, as numbers; `reached` marks those output depends on.
    var scalars = [Double](repeating: 0, count: count)
    var reached = [Bool](repeating: false, count: count)
    if output.value.rank == 0 {
      scalars[output.index] = 1
      reached[output.index] = true
    } else {
      grads[output.index] = Tensor(shape: output.value.shape, repeating: 1)
    }
    for i in stride(from: output.index, through: 0, by: -1) {
      let node = nodes[i]
      if let (rule, first, second) = node.scalar {
        guard reached[i] else { continue }
        let (gFirst, gSecond) = rule.pullback(scalars[i])
        // A first contribution is taken as it is, as the tensor path does (−0 stays −0).
        if first >= 0 {
          scalars[first] = reached[first] ? scalars[first] + gFirst : gFirst
          reached[first] = true
        }
        if second >= 0 {
          scalars[second] = reached[second] ? scalars[second] + gSecond : gSecond
          reached[second] = true
        }
        continue
      }
      if let (parent, position) = node.element {
        guard reached[i] else { continue }
        if grads[parent] == nil { grads[parent] = Tensor(shape: nodes[parent].shape, repeating: 0) }
        grads[parent]?.data[position] += scalars[i]
        continue
      }
      guard let pullback = node.pullback else { continue }
      let g: Tensor
      if node.shape.isEmpty {
        guard reached[i] else { continue }
        g = .scalar(scalars[i])
      } else {
        guard let t = grads[i] else { continue }
        g = t
      }
      for (parent, pg) in zip(node.parents, try pullback(g)) {
        if nodes[parent].shape.isEmpty {
          scalars[parent] = reached[parent] ? scalars[parent] + pg.data[0] : pg.data[0]
          reached[parent] = true
        } else if let existing = grads[parent] {
          grads[parent] = try Tensor.combine(existing, pg, .add)
        } else {
          grads[parent] = pg
        }
      }
    }
    for i in 0..<count where reached[i] && nodes[i].scalar == nil && nodes[i].element == nil && nodes[i].pullback == nil {
      grads[i] = .scalar(scalars[i])
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

import Tensor

/// Typed views of a value; each throws a clear error for a value of another type.
extension Value {
  func mismatch(_ expected: String) -> RuntimeError {
    if case .tracked = self {
      return RuntimeError("this operation has no derivative rule, so it cannot take a value that is being differentiated")
    }
    return RuntimeError("expected a value of type \(expected), found \(typeName)")
  }

  /// The numbers of a Real, Tensor or differentiated value, ignoring derivatives
  /// (for shape queries and comparisons).
  public func primalTensor() throws -> Tensor {
    if case .tracked(let t) = self { return t.value }
    return try asTensor()
  }

  public func asInt() throws -> Int {
    guard case .int(let i) = self else { throw mismatch("Int") }
    return i
  }

  /// A Real (an Int converts, as a literal would).
  public func asReal() throws -> Double {
    switch self {
    case .real(let r): return r
    case .int(let i): return Double(i)
    case .tensor(let t) where t.count == 1: return t.data[0]
    default: throw mismatch("Real")
    }
  }

  public func asBool() throws -> Bool {
    guard case .bool(let b) = self else { throw mismatch("Bool") }
    return b
  }

  public func asString() throws -> String {
    guard case .string(let s) = self else { throw mismatch("String") }
    return s
  }

  public func asList() throws -> [Value] {
    switch self {
    case .list(let xs): return xs
    default: throw mismatch("List")
    }
  }

  public func asTensor() throws -> Tensor {
    switch self {
    case .tensor(let t): return t
    case .real(let r): return Tensor(shape: [], data: [r])
    case .list: return try Value.tensorFromNested(self)
    default: throw mismatch("Tensor")
    }
  }

  /// Builds a tensor from nested lists of numbers; rows must have equal lengths.
  static func tensorFromNested(_ v: Value) throws -> Tensor {
    switch v {
    case .real(let r): return Tensor(shape: [], data: [r])
    case .int(let i): return Tensor(shape: [], data: [Double(i)])
    case .tensor(let t): return t
    case .list(let xs):
      let parts = try xs.map(tensorFromNested)
      guard let first = parts.first else { return Tensor(shape: [0], data: []) }
      guard parts.allSatisfy({ $0.shape == first.shape }) else {
        throw RuntimeError("tensor: nested lists must be rectangular (rows of equal length)")
      }
      return Tensor(shape: [parts.count] + first.shape, data: parts.flatMap(\.data))
    default:
      throw RuntimeError("tensor expects numbers or nested lists of numbers, found \(v.typeName)")
    }
  }
}

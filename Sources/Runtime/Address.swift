/// A hierarchical choice address: a path of strings and ints, printed `y/3`.
public struct Address: Hashable, Sendable, CustomStringConvertible {
  public enum Component: Hashable, Sendable {
    case name(String)
    case index(Int)
  }
  public var path: [Component]

  public init(_ path: [Component]) { self.path = path }

  public static let root = Address([])

  public func appending(_ other: Address) -> Address { Address(path + other.path) }

  public var description: String {
    path.map {
      switch $0 {
      case .name(let s): return s
      case .index(let i): return String(i)
      }
    }.joined(separator: "/")
  }

  /// Converts a String, Int, address, or (nested) tuple of them; nested tuples flatten.
  public init?(value: Value) {
    switch value {
    case .string(let s): self.init([.name(s)])
    case .int(let i): self.init([.index(i)])
    case .address(let a): self = a
    case .tuple(let parts):
      var path: [Component] = []
      for part in parts {
        guard let a = Address(value: part) else { return nil }
        path += a.path
      }
      self.init(path)
    default: return nil
    }
  }
}

import Runtime

/// Random choices by address, in the order they were made. A value type.
public struct ChoiceMap {
  public private(set) var addresses: [Address] = []
  public private(set) var values: [Value] = []
  private var positions: [Address: Int] = [:]

  public init() {}

  public var count: Int { addresses.count }

  public subscript(address: Address) -> Value? {
    positions[address].map { values[$0] }
  }

  public func has(_ address: Address) -> Bool { positions[address] != nil }

  /// Where the choice at `address` is in `addresses`.
  public func position(of address: Address) -> Int? { positions[address] }

  public mutating func reserveCapacity(_ n: Int) {
    addresses.reserveCapacity(n)
    values.reserveCapacity(n)
    positions.reserveCapacity(n)
  }

  /// Adds a choice; returns false if the address is already present.
  @discardableResult
  public mutating func insert(_ address: Address, _ value: Value) -> Bool {
    if let existing = positions.updateValue(addresses.count, forKey: address) {
      positions[address] = existing
      return false
    }
    addresses.append(address)
    values.append(value)
    return true
  }

  /// Sets the value of a choice the map has; returns false if it has none.
  @discardableResult
  public mutating func replace(_ address: Address, _ value: Value) -> Bool {
    guard let i = positions[address] else { return false }
    values[i] = value
    return true
  }

  /// The choices under `prefix`, with the prefix dropped from their addresses.
  public func under(_ prefix: Address) -> ChoiceMap {
    var sub = ChoiceMap()
    for (a, v) in zip(addresses, values) where a.path.count > prefix.path.count && a.path.starts(with: prefix.path) {
      sub.insert(Address(Array(a.path.dropFirst(prefix.path.count))), v)
    }
    return sub
  }

  /// The same addresses with each value transformed.
  public func mapValues(_ f: (Value) -> Value) -> ChoiceMap {
    var copy = self
    copy.values = values.map(f)
    return copy
  }

  public func formatted() -> String {
    "choicemap {" + zip(addresses, values).map { "\($0): \(ValueFormatter.format($1, topLevel: false))" }.joined(separator: ", ") + "}"
  }
}

/// A choice map as a PPL value.
public final class ChoiceMapObject: RuntimeObject {
  public let map: ChoiceMap
  public init(_ map: ChoiceMap) { self.map = map }
  public var typeName: String { "ChoiceMap" }
  public func formatted() -> String { map.formatted() }
}

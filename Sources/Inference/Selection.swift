import Runtime

/// A set of addresses (or all of them); selecting an address selects everything
/// nested under it.
public struct Selection {
  public var all: Bool
  public var addresses: Set<Address>

  public init(all: Bool = false, addresses: Set<Address> = []) {
    self.all = all
    self.addresses = addresses
  }

  public func contains(_ address: Address) -> Bool {
    if all { return true }
    for n in 0...address.path.count where addresses.contains(Address(Array(address.path.prefix(n)))) && n > 0 { return true }
    return false
  }
}

/// A selection as a PPL value.
public final class SelectionObject: RuntimeObject {
  public let selection: Selection
  public init(_ selection: Selection) { self.selection = selection }
  public var typeName: String { "Selection" }
  public func formatted() -> String {
    selection.all ? "select_all()" : "select(" + selection.addresses.map(\.description).sorted().joined(separator: ", ") + ")"
  }
}

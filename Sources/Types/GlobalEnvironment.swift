import IR

/// The names a program has defined at top level, with their global slots and types.
/// It persists across units (REPL inputs, imports); a unit that fails to check leaves
/// it unchanged because the checker works on a copy.
public struct GlobalEnvironment: Sendable {
  public struct Entry: Sendable {
    public var slot: Int
    public var type: Type
    public var mutable: Bool
    /// Parameter names of a declared `fn`/`gen` (for named arguments).
    public var parameterNames: [String]?
  }

  public private(set) var entries: [String: Entry] = [:]
  public var aliases: [String: Type] = [:]
  public private(set) var slotNames: [String] = []

  public init() {}

  public var slotCount: Int { slotNames.count }

  /// Defines (or redefines, shadowing) a global and returns its slot.
  @discardableResult
  public mutating func define(_ name: String, type: Type, mutable: Bool, parameterNames: [String]? = nil) -> Int {
    let slot = slotNames.count
    slotNames.append(name)
    entries[name] = Entry(slot: slot, type: type, mutable: mutable, parameterNames: parameterNames)
    return slot
  }

  mutating func setType(_ name: String, _ type: Type) {
    entries[name]?.type = type
  }
}

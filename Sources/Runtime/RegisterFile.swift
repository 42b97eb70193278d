/// The machine's registers for all frames of one execution, in one manually managed
/// buffer so the interpreter loop reads and writes them through a raw pointer.
/// `Execution` copies it on write (checked once per `run`, not per instruction).
///
/// Registers above `count` stay initialized after a frame returns (a call reuses them
/// without resetting: the compiler writes every register before reading it), so a
/// return costs no destruction; `clear` releases them when a run ends.
final class RegisterFile {
  private(set) var base: UnsafeMutablePointer<Value>
  /// Registers in use by live frames.
  private(set) var count: Int
  /// Registers holding initialized values (`count` or more).
  private var initialized: Int
  private(set) var capacity: Int

  init(capacity: Int = 64) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
    count = 0
    initialized = 0
  }

  deinit {
    base.deinitialize(count: initialized)
    base.deallocate()
  }

  /// A copy of the live registers.
  func copy() -> RegisterFile {
    let c = RegisterFile(capacity: count + 16)
    c.base.initialize(from: base, count: count)
    c.count = count
    c.initialized = count
    return c
  }

  /// Makes `n` more registers live; may move the buffer.
  @inline(__always)
  func grow(by n: Int) {
    let needed = count + n
    if needed > initialized {
      if needed > capacity { reallocate(needed) }
      (base + initialized).initialize(repeating: .unit, count: needed - initialized)
      initialized = needed
    }
    count = needed
  }

  private func reallocate(_ needed: Int) {
    let newCapacity = max(capacity * 2, needed)
    let newBase = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: initialized)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Drops registers from `newCount` on (their values are released later).
  @inline(__always)
  func shrink(to newCount: Int) {
    count = newCount
  }

  /// Releases every value above the live registers.
  func clear() {
    (base + count).deinitialize(count: initialized - count)
    initialized = count
  }
}

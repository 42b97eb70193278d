/// The machine's registers for all frames of one execution, in one manually managed
/// buffer so the interpreter loop reads and writes them through a raw pointer.
/// `Execution` copies it on write (checked once per `run`, not per instruction).
final class RegisterFile {
  private(set) var base: UnsafeMutablePointer<Value>
  private(set) var count: Int
  private(set) var capacity: Int

  init(capacity: Int = 256) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
    count = 0
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  func copy() -> RegisterFile {
    let c = RegisterFile(capacity: capacity)
    c.base.initialize(from: base, count: count)
    c.count = count
    return c
  }

  /// Appends `n` registers holding Unit; may move the buffer.
  func grow(by n: Int) {
    if count + n > capacity {
      let newCapacity = max(capacity * 2, count + n)
      let newBase = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
      newBase.moveInitialize(from: base, count: count)
      base.deallocate()
      base = newBase
      capacity = newCapacity
    }
    (base + count).initialize(repeating: .unit, count: n)
    count += n
  }

  /// Removes registers from `newCount` on.
  func shrink(to newCount: Int) {
    (base + newCount).deinitialize(count: count - newCount)
    count = newCount
  }
}

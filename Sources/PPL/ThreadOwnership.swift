import Foundation

/// One `Interpreter` runs on one thread at a time (its globals, random generator and
/// nesting counters are not shared-safe). A call that arrives from another thread
/// while one is running gets a clear error instead of corrupting the instance; calls
/// nested on the running thread (a host function calling back) are allowed.
final class ThreadOwnership: @unchecked Sendable {
  private let lock = NSLock()
  private var owner: pthread_t?
  private var depth = 0

  /// Runs `body` as the instance's owner, or throws if another thread owns it.
  func run<T>(_ body: () throws -> T) throws -> T {
    try enter()
    defer { leave() }
    return try body()
  }

  private func enter() throws {
    lock.lock()
    defer { lock.unlock() }
    let me = pthread_self()
    if let owner, pthread_equal(owner, me) == 0 {
      throw PPLError(.runtime, [.error("this Interpreter is running on another thread; an Interpreter is used by one thread at a time (make one per thread)", at: .none)])
    }
    owner = me
    depth += 1
  }

  private func leave() {
    lock.lock()
    defer { lock.unlock() }
    depth -= 1
    if depth == 0 { owner = nil }
  }
}

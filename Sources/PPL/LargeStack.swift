import Foundation

/// Runs work on a thread with a large stack and waits for it. The parser, checker,
/// compiler and IR printer recurse once per nesting level of a program (up to
/// `Parser.maxNesting`), and the caller's thread may have a small stack: a secondary
/// thread, or a debug build's large frames.
enum LargeStack {
  static let bytes = 64 << 20

  /// Where the worker leaves its result (the thread may outlive the call briefly).
  private final class Outcome<T> {
    var result: Result<T, Error>?
  }

  static func run<T>(_ body: @escaping () throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      outcome.result = Result { try body() }
      done.signal()
    }
    thread.stackSize = bytes
    thread.start()
    done.wait()
    guard let result = outcome.result else { throw PPLError(.runtime, [.error("internal: the front end did not run", at: .none)]) }
    return try result.get()
  }
}

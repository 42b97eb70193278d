import CStack

/// How much native stack is left on the current thread. Runs of the machine nested
/// through builtins (a closure called by `map`, a `simulate` inside a kernel) each use
/// native stack, and how much a level takes depends on the build (debug and sanitizer
/// builds use far more), so the machine checks what is left rather than only counting.
enum StackGuard {
  /// Stack that must remain, beyond two nesting levels' worth, for the error path.
  static let reserve: UInt = 256 << 10

  /// The lowest address of the current thread's stack, cached per thread in `context`
  /// (reading it can be slow: for the main thread glibc parses /proc/self/maps).
  static func low(_ context: RuntimeContext) -> UInt? {
    let thread = UInt(pthread_self())
    if let cached = context.stackLow, cached.thread == thread { return cached.low }
    var low: UInt = 0
    guard ppl_stack_low(&low) == 0, low > 0 else { return nil }
    context.stackLow = (thread, low)
    return low
  }

  /// An address in the caller's frame (near the stack pointer).
  static func here() -> UInt { ppl_frame_address() }

  /// True when the stack left below `address` (a nested run's frame) is less than
  /// `reserve` plus twice the most one nesting level has used so far, which is learned
  /// from `previous`, the frame of the run one level out.
  static func isLow(_ context: RuntimeContext, at address: UInt, previous: UInt?) -> Bool {
    guard let low = low(context), address > low else { return false }
    if let previous, previous > address { context.stackPerLevel = max(context.stackPerLevel, previous - address) }
    return address - low < reserve + 2 * context.stackPerLevel
  }
}

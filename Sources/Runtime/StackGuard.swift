#if canImport(Glibc)
import Glibc

/// glibc's pthread_getattr_np, which the Glibc module leaves out (it needs _GNU_SOURCE).
@_silgen_name("pthread_getattr_np")
private func pthreadGetattr(_ thread: pthread_t, _ attributes: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// How much native stack is left on the current thread. Runs of the machine nested
/// through builtins (a closure called by `map`, a `simulate` inside a kernel) each use
/// native stack, and how much a level takes depends on the build (debug and sanitizer
/// builds use far more), so the machine checks what is left rather than only counting.
enum StackGuard {
  /// Stack that must remain for one more nested run and the error path.
  static let reserve = 256 << 10

  /// The lowest address of the current thread's stack, cached per thread in `context`
  /// (reading it can be slow: for the main thread glibc parses /proc/self/maps).
  static func low(_ context: RuntimeContext) -> UInt? {
    #if canImport(Glibc)
    let thread = UInt(pthread_self())
    if let cached = context.stackLow, cached.thread == thread { return cached.low }
    var attributes = pthread_attr_t()
    guard pthreadGetattr(pthread_self(), &attributes) == 0 else { return nil }
    defer { pthread_attr_destroy(&attributes) }
    var address: UnsafeMutableRawPointer?
    var size = 0
    guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
    let low = UInt(bitPattern: address)
    context.stackLow = (thread, low)
    return low
    #else
    return nil
    #endif
  }

  /// True when less than `reserve` bytes of stack are left below the caller's frame.
  static func isLow(_ context: RuntimeContext) -> Bool {
    guard let low = low(context) else { return false }
    var marker = 0
    let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    return here > low && here - low < UInt(reserve)
  }
}

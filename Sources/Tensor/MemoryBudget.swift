import Foundation

/// The ceiling on the resident memory of the whole process: a program that would go
/// past it gets an error instead of the host dying in the allocator. It is process-wide
/// because memory is (interpreters in one process share it). Checked before every large
/// allocation of a tensor or list, and every 10 ms of a long run (`checkPeriodically`,
/// from the interpreter's limit checks), so growth by many small pieces is caught too.
public enum MemoryBudget {
  /// Held while the ceiling or the time of the next reading is written. Both are one
  /// word, read without it on the hot paths: a stale read only moves a check by a call.
  private static let lock = NSLock()
  nonisolated(unsafe) private static var ceiling = defaultLimit
  nonisolated(unsafe) private static var nextReading: UInt64 = 0

  /// Three quarters of the memory this process may use: physical memory, or the
  /// container's limit (cgroup `memory.max`) where that is lower.
  public static let defaultLimit: Int = {
    var available = ProcessInfo.processInfo.physicalMemory
    if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),  // absent or "max": no container limit
       let cgroup = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
      available = min(available, cgroup)
    }
    return Int(clamping: available / 4 * 3)
  }()

  /// The ceiling in bytes; nil for none.
  public static var limit: Int? {
    get { isSet ? ceiling : nil }
    set { lock.withLock { ceiling = newValue ?? .max } }
  }

  /// Whether there is a ceiling.
  public static var isSet: Bool { ceiling != .max }

  /// Bytes of memory the process has resident now (`/proc/self/statm`; 0 where that is
  /// not available). One read of a small file, cheap enough for every check.
  public static func inUse() -> Int {
    #if os(Linux)
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
    guard count > 0 else { return 0 }
    // "size resident shared …", in pages.
    let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return 0
    #endif
  }

  /// Throws when the process holds more than the limit, or would with `bytes` more.
  public static func check(adding bytes: Int = 0) throws {
    guard let limit else { return }
    let used = inUse()
    if used > limit - min(bytes, limit) {
      throw TensorError("out of memory: the memory limit is \(gigabytes(limit)) GB and the process holds \(gigabytes(used)) GB"
        + (bytes > 0 ? ", before \(gigabytes(bytes)) GB more" : "") + " (ppl run --memory-limit GB, or Interpreter.memoryLimit)")
    }
  }

  /// `check`, at most once every 10 ms.
  public static func checkPeriodically() throws {
    guard isSet else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now >= nextReading else { return }
    let due: Bool = lock.withLock {
      guard now >= nextReading else { return false }
      nextReading = now + 10_000_000
      return true
    }
    if due { try check() }
  }

  /// Allocations smaller than this are not checked one by one.
  public static let checkedBytes = 1 << 20

  /// Bytes in GB (10^9), to two decimals.
  private static func gigabytes(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1e9) }
}

import COpenBLAS
import Foundation

/// Which OpenBLAS kernel runs, and the one this CPU should run. Older OpenBLAS builds
/// (Debian's 0.3.21 among them) do not recognise some newer Xeons and fall back to the
/// generic "Prescott" kernel, about four times slower; OpenBLAS only reads the
/// `OPENBLAS_CORETYPE` override when it loads, so the `ppl` binary restarts itself
/// with it set (`preferredCoreType`).
public enum BLASKernel {
  /// The kernel OpenBLAS chose, e.g. "SkylakeX" or "Prescott".
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The core type to force when OpenBLAS fell back to the generic kernel on a CPU
  /// with AVX-512 or AVX2 (nil when nothing needs forcing).
  public static var preferredCoreType: String? {
    guard coreName == "Prescott", ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
          let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") })?.split(separator: " ")
    else { return nil }
    if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { return "SkylakeX" }
    if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
    return nil
  }
}

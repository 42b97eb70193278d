import Foundation

/// OpenBLAS, loaded on first use. Older OpenBLAS builds (Debian's 0.3.21 among them)
/// do not recognise some newer CPUs and fall back to the generic "Prescott" kernel,
/// about four times slower, and OpenBLAS reads its `OPENBLAS_CORETYPE` override only
/// when it loads. So the library is opened here, after choosing the kernel family from
/// the CPU's flags (AVX-512: SkylakeX, AVX2: Haswell) unless the user chose one.
public enum BLASKernel {
  typealias Dgemm = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
    UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void
  typealias CoreName = @convention(c) () -> UnsafeMutablePointer<CChar>?

  static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

  static let library: UnsafeMutableRawPointer? = {
    if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let core = coreTypeForThisCPU {
      setenv("OPENBLAS_CORETYPE", core, 0)
    }
    return dlopen("libopenblas.so.0", RTLD_NOW | RTLD_GLOBAL) ?? dlopen("libopenblas.so", RTLD_NOW | RTLD_GLOBAL)
  }()

  static let dgemm: Dgemm? = library.flatMap { dlsym($0, "cblas_dgemm") }.map { unsafeBitCast($0, to: Dgemm.self) }

  /// The kernel OpenBLAS runs, e.g. "SkylakeX" ("unavailable" if OpenBLAS is missing).
  public static var coreName: String {
    guard let f = library.flatMap({ dlsym($0, "openblas_get_corename") }),
          let name = unsafeBitCast(f, to: CoreName.self)() else { return "unavailable" }
    return String(cString: name)
  }

  /// The kernel family this CPU supports, from /proc/cpuinfo.
  static var coreTypeForThisCPU: String? {
    guard let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// C ← op(A) op(B) for row-major matrices; throws if OpenBLAS cannot be loaded.
  static func gemm(_ a: UnsafePointer<Double>?, _ b: UnsafePointer<Double>?, _ c: UnsafeMutablePointer<Double>?,
                   m: Int, n: Int, k: Int, lda: Int, ldb: Int, transposeA: Bool, transposeB: Bool) throws {
    guard let dgemm else { throw TensorError("matrix products need OpenBLAS (libopenblas0), which could not be loaded") }
    dgemm(rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
          Int32(m), Int32(n), Int32(k), 1.0, a, Int32(lda), b, Int32(ldb), 0.0, c, Int32(n))
  }
}

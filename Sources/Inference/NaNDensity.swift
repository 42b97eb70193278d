import Runtime

/// The errors for a NaN log-density — a bug in the model, not a rejection — shared by
/// every handler that scores a run (the GFI, SMC particles, the gradient kernels).
enum NaNDensity {
  static func choice(_ address: Address) -> RuntimeError {
    RuntimeError("the log-density at '\(address)' is NaN")
  }

  /// `address` is the traced call the observation is in (the root at top level).
  static func observation(_ address: Address) -> RuntimeError {
    RuntimeError("the log-density of the observation\(within(address)) is NaN")
  }

  static func factor(_ address: Address) -> RuntimeError {
    RuntimeError("factor(NaN)\(within(address))")
  }

  private static func within(_ address: Address) -> String {
    address == .root ? "" : " at '\(address)'"
  }
}

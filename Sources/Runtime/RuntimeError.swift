import Syntax

/// An error raised while a program runs: a message, the span of the failing
/// operation, and the PPL call stack (innermost first).
public struct RuntimeError: Error, CustomStringConvertible {
  public var message: String
  public var span: Span?
  public var stack: [(span: Span, function: String)] = []
  /// Set where the program's density is undefined at the values it was given — an
  /// invalid distribution parameter or a NaN log-density. MCMC rejects such proposals
  /// (as Stan does) instead of stopping; everything else is an error.
  public var isOutsideDomain = false
  /// Set by the batched machine for what only a run member by member can do (a traced
  /// call of a gen defined by its interface): importance then runs its particles so.
  public var needsMemberByMember = false

  /// Why a traced call of a gen defined by its interface cannot run under an inference.
  public static func interfaceGenRefused(_ gen: Closure) -> String {
    "\(gen.code.name) is a gen defined by its interface: as a traced call (~) it runs under simulate, generate, assess and propose (objectives, importance), not under SMC, MCMC or enumeration"
  }

  public init(_ message: String, at span: Span? = nil) {
    self.message = message
    self.span = span
  }

  /// The call stack as printed, innermost first: "at FILE:LINE:COL in NAME", with the
  /// middle of a deep stack (runaway recursion) elided to its first and last 10 frames.
  public var stackLines: [String] {
    let lines = stack.map { "at \($0.span.locationText) in \($0.function)" }
    let kept = 10
    guard lines.count > 2 * kept + 1 else { return lines }
    return lines.prefix(kept) + ["… \(lines.count - 2 * kept) more frames …"] + lines.suffix(kept)
  }

  public var description: String {
    var out = span.map { DiagnosticRenderer.render(.error(message, at: $0)) } ?? "error: \(message)\n"
    for line in stackLines { out += "  \(line)\n" }
    return out
  }
}

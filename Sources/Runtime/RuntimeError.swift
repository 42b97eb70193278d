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

  public init(_ message: String, at span: Span? = nil) {
    self.message = message
    self.span = span
  }

  public var description: String {
    var out = span.map { DiagnosticRenderer.render(.error(message, at: $0)) } ?? "error: \(message)\n"
    for frame in stack { out += "  at \(frame.span.locationText) in \(frame.function)\n" }
    return out
  }
}

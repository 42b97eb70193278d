import Runtime
import Syntax

/// An error from any phase, carrying structured diagnostics — the same the CLI prints.
public struct PPLError: Error, CustomStringConvertible {
  public enum Kind: Sendable {
    case syntax, type, runtime, fileNotFound
  }
  public var kind: Kind
  public var diagnostics: [Diagnostic]
  /// The rendered text (for runtime errors it includes the PPL call stack).
  public var rendered: String

  public var description: String { rendered }

  /// The first diagnostic's message.
  public var message: String { diagnostics.first?.message ?? rendered }

  /// Diagnostics kept and shown for one input; the rest are counted, as compilers do
  /// (100,000 errors took minutes to render).
  public static let maxDiagnostics = 100

  init(_ kind: Kind, _ diagnostics: [Diagnostic]) {
    self.kind = kind
    var kept = Array(diagnostics.prefix(PPLError.maxDiagnostics))
    if diagnostics.count > kept.count {
      kept.append(.error("too many errors: \(diagnostics.count - kept.count) more not shown", at: .none))
    }
    self.diagnostics = kept
    self.rendered = kept.map(DiagnosticRenderer.render).joined()
  }

  init(_ error: RuntimeError) {
    kind = .runtime
    let span = error.span ?? .none
    diagnostics = [Diagnostic.error(error.message, at: span, notes: error.stackLines)]
    rendered = error.description
  }

  /// A source file that exists but cannot be used as one (reported as a syntax error).
  static func unreadable(_ path: String, _ problem: String) -> PPLError {
    var e = PPLError(.syntax, [.error("\(path) \(problem)", at: .none)])
    e.rendered = "error: \(path) \(problem)\n"
    return e
  }

  static func fileNotFound(_ path: String) -> PPLError {
    var e = PPLError(.fileNotFound, [.error("file not found: \(path)", at: .none)])
    e.rendered = "error: file not found: \(path)\n"
    return e
  }
}

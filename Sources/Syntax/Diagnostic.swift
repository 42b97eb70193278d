/// A problem found in a program, as a value: rendering is separate
/// (`DiagnosticRenderer`).
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning, note }

  public var severity: Severity
  public var message: String
  public var span: Span
  /// Extra lines printed as `note: …` after the source excerpt.
  public var notes: [String]

  public init(_ severity: Severity = .error, _ message: String, at span: Span, notes: [String] = []) {
    self.severity = severity
    self.message = message
    self.span = span
    self.notes = notes
  }

  public static func error(_ message: String, at span: Span, notes: [String] = []) -> Diagnostic {
    Diagnostic(.error, message, at: span, notes: notes)
  }

  /// File name, 1-based line and column; empty name and zeros for spanless diagnostics.
  public var file: String { span.file?.name ?? "" }
  public var line: Int { span.file.map { $0.location(of: span.start).line } ?? 0 }
  public var column: Int { span.file.map { $0.location(of: span.start).column } ?? 0 }

  public var description: String { DiagnosticRenderer.render(self) }
}

/// A list of diagnostics thrown together when a phase reports errors.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public var description: String { diagnostics.map(DiagnosticRenderer.render).joined() }
}

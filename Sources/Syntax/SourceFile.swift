/// A named piece of PPL source text with a line table for turning offsets into
/// line/column positions.
public final class SourceFile: @unchecked Sendable {
  public let name: String
  public let text: String
  /// The UTF-8 bytes of `text`; spans are byte offsets into this array.
  public let bytes: [UInt8]
  private let lineStarts: [Int]

  public init(name: String, text: String) {
    self.name = name
    self.text = text
    self.bytes = Array(text.utf8)
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.lineStarts = starts
  }

  /// 1-based line and column (columns count Unicode scalars) of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    var lo = 0, hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
    }
    let start = lineStarts[lo]
    let end = min(max(offset, start), bytes.count)
    let column = String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.count + 1
    return (lo + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  public func slice(_ span: Span) -> String {
    String(decoding: bytes[max(0, span.start)..<min(bytes.count, span.end)], as: UTF8.self)
  }
}

/// A half-open byte range in a source file.
public struct Span: Sendable, Hashable {
  public let file: SourceFile?
  public let start: Int
  public let end: Int

  public init(file: SourceFile?, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// A span with no source location (builtins, synthesized code).
  public static let none = Span(file: nil, start: 0, end: 0)

  /// The smallest span covering both.
  public func to(_ other: Span) -> Span {
    guard let file else { return other }
    return Span(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  public static func == (a: Span, b: Span) -> Bool {
    a.file === b.file && a.start == b.start && a.end == b.end
  }

  public func hash(into h: inout Hasher) {
    h.combine(start)
    h.combine(end)
  }

  /// `LINE:COL` within its file.
  public var lineColumnText: String {
    guard let file else { return "?:?" }
    let (l, c) = file.location(of: start)
    return "\(l):\(c)"
  }

  /// `FILE:LINE:COL`, or `<builtin>` for synthesized spans.
  public var locationText: String {
    guard let file else { return "<builtin>" }
    let (l, c) = file.location(of: start)
    return "\(file.name):\(l):\(c)"
  }
}

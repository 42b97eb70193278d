import Foundation

/// Reads a script or an imported module: a missing file is "file not found"; a file
/// that exists but is not a regular file (a directory, `/dev/zero`), is too large, or
/// is not valid UTF-8 gets an error that says so, with the syntax errors' exit status.
public enum SourceReader {
  /// The largest source file read (scripts are text; this bounds `import` of a huge file).
  public static let maxBytes = 64 << 20

  public static func read(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw PPLError.fileNotFound(path) }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard !isDirectory.boolValue, attributes?[.type] as? FileAttributeType == .typeRegular else {
      throw PPLError.unreadable(path, "is not a regular file")
    }
    if let size = attributes?[.size] as? Int, size > maxBytes {
      throw PPLError.unreadable(path, "is \(size) bytes, over the \(maxBytes)-byte limit for source files")
    }
    guard let data = FileManager.default.contents(atPath: path) else { throw PPLError.unreadable(path, "cannot be read") }
    guard let text = String(data: data, encoding: .utf8) else { throw PPLError.unreadable(path, "is not valid UTF-8 text") }
    return text
  }
}

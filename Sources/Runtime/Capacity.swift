import Tensor

/// Size limits that keep a script's data from exhausting memory: a program asking for
/// more gets a runtime error instead of an allocation failure of the host process.
/// (Tensors have theirs in `Tensor.maxElements`.)
public enum Capacity {
  /// Elements of one list.
  public static let listElements = 1 << 25
  /// Bytes of one string.
  public static let stringBytes = 1 << 28

  /// A list of `count` elements about to be made: its length and its memory.
  static func checkList(_ count: Int) throws {
    if count > listElements { throw RuntimeError("a list of more than \(listElements) elements is too long") }
    let bytes = count * MemoryLayout<Value>.stride
    if bytes >= MemoryBudget.checkedBytes {
      do { try MemoryBudget.check(adding: bytes) } catch let e as TensorError { throw RuntimeError(e.message) }
    }
  }

  /// A list about to grow to `count` elements by one append: its length, and its
  /// memory only where its storage doubles (a check per append would cost a reading of
  /// the process's memory each time).
  static func checkAppend(_ count: Int) throws {
    if count > listElements || count & (count - 1) == 0 { try checkList(count) }
  }

  static func checkString(_ bytes: Int) throws {
    if bytes > stringBytes { throw RuntimeError("a string of more than \(stringBytes) bytes is too long") }
  }
}

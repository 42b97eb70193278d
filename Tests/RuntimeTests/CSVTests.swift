import Foundation
import PPL
import XCTest

/// load_csv reads its documented dialect exactly and names the row and column of
/// anything else (it dropped a column with one empty cell, read 0x1F as 31, gave a
/// [n, 0] tensor for quoted numbers or ';' separators, and lost a headerless file's
/// first row; issue: trust, 19).
final class CSVTests: XCTestCase {
  func load(_ text: String, header: Bool = true) throws -> Tensor {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-csv-\(UUID().uuidString).csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    return try Interpreter(options: .init(seed: 0)).eval("load_csv(\"\(url.path)\", header: \(header))").asTensor()
  }

  func error(_ text: String, header: Bool = true) -> String {
    do {
      _ = try load(text, header: header)
      return "no error"
    } catch {
      return (error as? PPLError)?.message ?? "\(error)"
    }
  }

  func testTheDialect() throws {
    let t = try load("a,b\r\n1, 2.5\n\"3\",-4e-1\nnan,inf\n\n")
    XCTAssertEqual(t.shape, [3, 2])
    XCTAssertEqual(Array(t.data.prefix(4)), [1, 2.5, 3, -0.4])
    XCTAssertTrue(t.data[4].isNaN)
    XCTAssertEqual(t.data[5], .infinity)
    XCTAssertEqual(try load("1,2\n3,4\n", header: false).shape, [2, 2])
  }

  func testAnythingElseIsAnErrorNamingTheCell() {
    XCTAssertEqual(error("a,b\n1,\n3,4\n"), "load_csv: row 2, column 2 is empty")
    XCTAssertEqual(error("a,b\n1,0x1F\n"), "load_csv: row 2, column 2 is '0x1F', not a number")
    XCTAssertEqual(error("a;b\n1;2\n"), "load_csv: row 2, column 1 is '1;2', not a number (fields are separated by commas)")
    XCTAssertEqual(error("a,b\n1,2\n3\n"), "load_csv: row 3 has 1 fields, the rows before it 2")
    XCTAssertEqual(error("1,2\n3,4\n"), "load_csv: row 1 holds numbers, not column names; pass header: false for a file without a header")
  }
}

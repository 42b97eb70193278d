import Foundation
import XCTest

/// `ppl ir FILE` against `Tests/ir/NAME.ir` and `ppl code FILE` against
/// `Tests/code/NAME.code`.
final class PrinterGoldenTests: XCTestCase {
  func testIRPrinterOutput() throws {
    try compare(subcommand: "ir", directory: "ir", extension: "ir")
  }

  func testCodePrinterOutput() throws {
    try compare(subcommand: "code", directory: "code", extension: "code")
  }

  func compare(subcommand: String, directory: String, extension ext: String) throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(directory)
    let cases = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "ppl" }
    XCTAssertFalse(cases.isEmpty)
    for source in cases {
      let expected = try String(contentsOf: source.deletingPathExtension().appendingPathExtension(ext), encoding: .utf8)
      let r = try PPLProcess.run([subcommand, source.lastPathComponent], directory: dir)
      XCTAssertEqual(r.status, 0, r.stderr)
      XCTAssertEqual(r.stdout, expected, source.lastPathComponent)
    }
  }
}

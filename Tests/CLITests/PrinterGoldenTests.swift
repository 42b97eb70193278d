import Foundation
import XCTest

/// `ppl ir FILE` against the expected text in `Tests/ir/NAME.ir`.
final class IRGoldenTests: XCTestCase {
  func testIRPrinterOutput() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ir")
    let cases = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "ppl" }
    XCTAssertFalse(cases.isEmpty)
    for source in cases {
      let expected = try String(contentsOf: source.deletingPathExtension().appendingPathExtension("ir"), encoding: .utf8)
      let r = try PPLProcess.run(["ir", source.lastPathComponent], directory: dir)
      XCTAssertEqual(r.status, 0, r.stderr)
      XCTAssertEqual(r.stdout, expected, source.lastPathComponent)
    }
  }
}

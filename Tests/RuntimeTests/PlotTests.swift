import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PPL
import XCTest

final class PlotTests: XCTestCase {
  func testPlotsAreWellFormedSVG() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-plots-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let ppl = Interpreter(options: .init(seed: 1))
    try ppl.load(source: """
      let xs = [sample(normal(0, 1)) for i in 0..<500]
      plot_hist(xs, "\(dir.path)/h.svg")
      let t = linspace(0.0, 6.0, 40)
      plot_line(t, sin(t), "\(dir.path)/l.svg")
      plot_scatter(to_list(t), to_list(cos(t)), "\(dir.path)/s.svg")
      plot_images(tensor([[1.0, 0.0, 0.5, 1.0], [0.0, 0.0, 0.0, 1.0]]), 2, "\(dir.path)/i.svg")
      """)
    // Images: a white background, then one square per pixel darker than white (4 of 8).
    for (name, element, count) in [("h", "rect", 11), ("l", "polyline", 1), ("s", "circle", 40), ("i", "rect", 5)] {
      let data = try Data(contentsOf: dir.appendingPathComponent("\(name).svg"))
      let doc = try XMLDocument(data: data)
      XCTAssertEqual(doc.rootElement()?.name, "svg")
      let found = try doc.nodes(forXPath: "//*[local-name()='\(element)']").count
      XCTAssertGreaterThanOrEqual(found, count, "\(name).svg has \(found) \(element) elements")
    }
  }

  func testPlotLengthMismatchIsAnError() {
    let ppl = Interpreter(options: .init(seed: 1))
    XCTAssertThrowsError(try ppl.load(source: "plot_line([1.0], [1.0, 2.0], \"/tmp/x.svg\")")) { error in
      XCTAssertEqual((error as? PPLError)?.message, "plot_line: 1 x values but 2 y values")
    }
  }
}

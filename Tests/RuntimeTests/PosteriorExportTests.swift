import Foundation
import PPL
import XCTest

final class PosteriorExportTests: XCTestCase {
  func testCSVAndJSONCarryWeightsAndChoices() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-post-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let ppl = Interpreter(options: .init(seed: 3))
    try ppl.load(source: """
      gen g() -> Int {
        let a ~ bernoulli(0.3)
        let k ~ uniform_discrete(0, 2)
        k
      }
      let post = enumerate(g, (), choicemap {"k": 1})
      to_csv(post, "\(dir.path)/post.csv")
      to_json(post, "\(dir.path)/post.json")
      """)
    let csv = try String(contentsOf: dir.appendingPathComponent("post.csv"), encoding: .utf8)
    XCTAssertEqual(csv.split(separator: "\n").first, "weight,a", "observed choices are left out")
    XCTAssertEqual(csv.split(separator: "\n").count, 3)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("post.json"))) as? [String: Any]
    let weights = json?["weights"] as? [Double] ?? []
    XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-12)
    XCTAssertEqual((json?["choices"] as? [String: [Double]])?["a"]?.count, 2)
    XCTAssertNil((json?["choices"] as? [String: [Double]])?["k"])
    XCTAssertEqual(json?["log_evidence"] as? Double ?? 0, log(1.0 / 3.0), accuracy: 1e-12)
  }
}

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

  /// MCMC samples export a long table: chain, draw, every element of every choice and
  /// NUTS's sampler statistics, one row per draw (what pandas and ArviZ read).
  func testSamplesCSVHasChainDrawElementsAndStatistics() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-samples-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let ppl = Interpreter(options: .init(seed: 5, output: { _ in }, warnings: { _ in }))
    try ppl.load(source: """
      gen g() -> Unit {
        let mu ~ normal(0, 1)
        let w ~ normal(zeros([2, 2]), 1.0)
        observe(normal(mu, 1.0), 0.5)
      }
      let s = nuts(g, (), choicemap {}, warmup: 20, samples: 7, chains: 2)
      to_csv(s, "\(dir.path)/s.csv")
      """)
    let lines = try String(contentsOf: dir.appendingPathComponent("s.csv"), encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.first, #"chain,draw,mu,"w[0, 0]","w[0, 1]","w[1, 0]","w[1, 1]",acceptance_rate,diverging,energy,lp,n_steps,step_size,tree_depth"#)
    XCTAssertEqual(lines.count, 1 + 2 * 7)
    XCTAssertTrue(lines[1].hasPrefix("0,0,"), String(lines[1]))
    XCTAssertTrue(lines[14].hasPrefix("1,6,"), String(lines[14]))
    XCTAssertEqual(lines[14].split(separator: ",").count, 14)
  }
}

import Distributions
import Foundation
import Tensor
import XCTest

/// Log-densities against scipy.stats (Tests/data/reference, copied from shared/reference).
final class ReferenceLogDensityTests: XCTestCase {
  static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/reference")

  func assertClose(_ actual: Double, _ expected: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    if expected.isInfinite {
      XCTAssertEqual(actual, expected, message, file: file, line: line)
    } else {
      XCTAssertLessThanOrEqual(abs(actual - expected), 1e-10 * max(1, abs(expected)), "\(message): \(actual) vs \(expected)", file: file, line: line)
    }
  }

  func testUnivariateFamilies() throws {
    let text = try String(contentsOf: ReferenceLogDensityTests.data.appendingPathComponent("logpdf.csv"), encoding: .utf8)
    var checked = Set<String>()
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("dist,") {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard let family = Family.named(fields[0]) else { return XCTFail("unknown family \(fields[0])") }
      var p = Params(0)
      for (i, v) in fields[1].split(separator: ";").enumerated() { p[i] = Double(v) ?? .nan }
      let x = Double(fields[2]) ?? .nan
      let expected = fields[3] == "-inf" ? -Double.infinity : Double(fields[3]) ?? .nan
      let d = try Distribution.make(family, p)
      let outcome: Outcome = family.kind == .bool ? .bool(x == 1) : family.kind == .int ? .int(Int(x)) : .real(x)
      assertClose(try d.logpdf(outcome), expected, String(line))
      checked.insert(family.name)
    }
    XCTAssertEqual(checked, Set(Family.all.map(\.name)).subtracting(["bernoulli_logit"]), "families covered")
    // bernoulli_logit is bernoulli at p = σ(z), and stays finite where σ(z) rounds to 1.
    let z = 1.3, p = 1 / (1 + exp(-z))
    assertClose(Family.bernoulliLogit.logpdf(Params(z), 1), log(p), "bernoulli_logit true")
    assertClose(Family.bernoulliLogit.logpdf(Params(z), 0), log1p(-p), "bernoulli_logit false")
    assertClose(Family.bernoulliLogit.logpdf(Params(40), 0), -40 - log1p(exp(-40)), "bernoulli_logit far tail")
  }

  func testMultivariate() throws {
    let mvn = Distribution.mvnormal(try MultivariateNormal(
      mean: Tensor(shape: [2], data: [1.0, -1.0]), cov: Tensor(shape: [2, 2], data: [2.0, 0.6, 0.6, 1.0])))
    assertClose(try mvn.logpdf(.tensor(Tensor(shape: [2], data: [0.5, 0.2]))), -3.2590056751322773, "mvnormal")
    let dir = try Distribution.dirichlet([2.0, 3.0, 0.5])
    assertClose(try dir.logpdf(.tensor(Tensor(shape: [3], data: [0.2, 0.7, 0.1]))), 1.5208065903195285, "dirichlet")
    let cat = try Distribution.categorical(probs: [0.1, 0.6, 0.3])
    assertClose(try cat.logpdf(.int(1)), -0.5108256237659907, "categorical")
  }

  func testRowsOfAMatrixAreIndependentDraws() throws {
    let mvn = Distribution.mvnormal(try MultivariateNormal(
      mean: Tensor(shape: [2], data: [1.0, -1.0]), cov: Tensor(shape: [2, 2], data: [2.0, 0.6, 0.6, 1.0])))
    let two = Tensor(shape: [2, 2], data: [0.5, 0.2, 0.5, 0.2])
    assertClose(try mvn.logpdf(.tensor(two)), 2 * -3.2590056751322773, "two rows")
  }

  func testTensorParametersAreIndependentProducts() throws {
    let d = try Distribution.make(.normal, [Tensor(shape: [2], data: [0, 1.5]), Tensor(shape: [], data: [1])])
    let x = Tensor(shape: [2], data: [0.5, 0.5])
    let expected = Family.normal.logpdf(Params(0, 1), 0.5) + Family.normal.logpdf(Params(1.5, 1), 0.5)
    assertClose(try d.logpdf(.tensor(x)), expected, "product")
    XCTAssertThrowsError(try d.logpdf(.tensor(Tensor(shape: [3], repeating: 0))))
  }

  func testInvalidParametersNameTheDistributionAndParameter() {
    XCTAssertThrowsError(try Distribution.make(.normal, Params(0, -1))) { e in
      XCTAssertEqual((e as? DistributionError)?.message, "normal: parameter sd must be positive and finite, got -1.0")
    }
    XCTAssertThrowsError(try MultivariateNormal(mean: Tensor(shape: [2], data: [0, 0]), cov: Tensor(shape: [2, 2], data: [1, 2, 2, 1]))) { e in
      XCTAssertEqual((e as? DistributionError)?.message, "mvnormal: cov must be positive definite")
    }
    XCTAssertThrowsError(try Distribution.make(.gamma, [Tensor(shape: [2], data: [1, -1]), Tensor(shape: [], data: [1])]))
  }

  func testTailsStayFinite() {
    XCTAssertEqual(Family.normal.logpdf(Params(0, 1), 1e150), -5e299, accuracy: 1e285)
    XCTAssertTrue(Family.beta.logpdf(Params(0.5, 0.5), 1e-300).isFinite)
    XCTAssertTrue(Family.poisson.logpdf(Params(1e6), 1e6).isFinite)
    XCTAssertTrue(Family.binomial.logpdf(Params(1e6, 0.5), 5e5).isFinite)
  }
}

/// A family is one file under Sources/Distributions/Families, listed in `Family.all`.
final class FamilyCatalogueTests: XCTestCase {
  func testEveryFamilyFileIsInTheCatalogue() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/Distributions/Families")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") && $0 != "Catalogue.swift" }
    // Normal.swift declares normal, InvGamma.swift inv_gamma.
    let names = files.map { file -> String in
      var name = ""
      for ch in file.dropLast(".swift".count) {
        if ch.isUppercase && !name.isEmpty { name += "_" }
        name += ch.lowercased()
      }
      return name
    }
    XCTAssertEqual(Set(names), Set(Family.all.map(\.name)), "a family file missing from Family.all, or the reverse")
    XCTAssertEqual(Family.all.count, Set(Family.all.map(\.name)).count, "a family listed twice")
  }
}

import Foundation
import PPL
import XCTest

/// Gradients through importance sampling and SMC against central finite differences
/// with common random numbers: for every model, way of passing the parameter and
/// inference method, d/dθ of the realized log Ẑ (the same seed, so the same noise and,
/// for a small step, the same resampling ancestors) must equal the gradient `grad`
/// returns — or, where the method cannot carry it, the call must fail. A gradient that
/// is silently 0 (the class of bug this guards against) fails the comparison.
final class DifferentiableInferenceTests: XCTestCase {
  /// Models of a parameter `θ` read through `PARAM` (replaced per way of passing it).
  static let models: [(name: String, source: String)] = [
    ("latent", """
      gen model(a: ARG) -> Unit {
        let x ~ normal(PARAM, 1.0) @ "x"
        observe(normal(x, 0.7), 1.1)
      }
      """),
    ("walk", """
      gen model(a: ARG) -> Unit {
        var x = PARAM
        for t in 0..<3 {
          let z ~ normal(x, 1.0) @ ("x", t)
          observe(normal(z, 1.0), [0.4, 1.5, -0.2][t])
          x = z
        }
      }
      """),
    ("factor", """
      gen model(a: ARG) -> Unit {
        let x ~ normal(0.0, exp(PARAM)) @ "x"
        factor(-0.5 * x * x)
        observe(normal(x, 1.0), 0.3)
      }
      """),
  ]

  /// Ways of passing θ: the argument's type, how the model reads it, how a call passes it.
  static let passings: [(name: String, type: String, read: String, pass: String)] = [
    ("real", "Real", "a", "θ"),
    ("record", "{w: Real, k: Int}", "a.w", "{w: θ, k: 2}"),
    ("list", "List[Real]", "a[1]", "[0.5, θ]"),
    ("closure", "fn(Real) -> Real", "a(0.0)", "|z| z + θ"),
    ("choicemap", "ChoiceMap", "a[\"p\"]", "choicemap {\"p\": θ}"),
  ]

  /// Inference calls on `model` with argument `A`; the proposals read θ too.
  static let methods: [(name: String, call: String)] = [
    ("importance", "importance(model, (A,), choicemap {}, particles: 3)"),
    ("importance with a proposal", "importance(model, (A,), choicemap {}, particles: 3, proposal: wide)"),
    ("smc", "smc(model, (A,), choicemap {}, particles: 3, ess_threshold: 1.0)"),
    ("smc with a proposal", "smc(model, (A,), choicemap {}, proposal: step, proposal_args: (A,), particles: 3, ess_threshold: 1.0)"),
  ]

  func value(_ source: String, _ expression: String, seed: UInt64) throws -> (Double, Double) {
    let ppl = Interpreter(options: .init(seed: seed))
    try ppl.load(source: source)
    let result = try ppl.eval(expression)
    guard case .tuple(let parts) = result, parts.count == 2 else { throw XCTSkip("unexpected result \(result)") }
    return (try parts[0].asReal(), try parts[1].asReal())
  }

  func testGradientsMatchFiniteDifferencesWithCommonRandomNumbers() throws {
    let θ = 0.35, h = 1e-5
    var compared = 0
    for model in Self.models {
      for passing in Self.passings {
        for method in Self.methods {
          let source = model.source.replacingOccurrences(of: "ARG", with: passing.type)
            .replacingOccurrences(of: "PARAM", with: passing.read) + """

            gen wide(a: \(passing.type)) -> Unit { \(model.name == "walk" ? "for t in 0..<3 { let z ~ normal(0.3 + 0.5 * \(passing.read), 1.5 * exp(0.4 * \(passing.read))) @ (\"x\", t) }" : "let x ~ normal(0.3 + 0.5 * \(passing.read), 1.5 * exp(0.4 * \(passing.read))) @ \"x\"") }
            gen step(tr: Trace[Unit], t: Int, a: \(passing.type)) -> Unit { \(model.name == "walk" ? "let z ~ normal(0.3 + 0.5 * \(passing.read), 1.5 * exp(0.4 * \(passing.read))) @ (\"x\", t)" : "let x ~ normal(0.3 + 0.5 * \(passing.read), 1.5 * exp(0.4 * \(passing.read))) @ \"x\"") }
            fn f(θ: Real) -> Real { log_evidence(\(method.call.replacingOccurrences(of: "A", with: passing.pass))) }
            """
          let label = "\(model.name), θ as \(passing.name), \(method.name)"
          for seed: UInt64 in [1, 2] {
            let (_, gradient) = try value(source, "value_and_grad(f, \(θ))", seed: seed)
            let (plus, _) = try value(source, "value_and_grad(f, \(θ + h))", seed: seed)
            let (minus, _) = try value(source, "value_and_grad(f, \(θ - h))", seed: seed)
            let difference = (plus - minus) / (2 * h)
            XCTAssertEqual(gradient, difference, accuracy: 1e-4 * max(1, abs(difference)), "\(label), seed \(seed)")
            XCTAssertNotEqual(difference, 0, "\(label): the finite difference is 0, so the comparison cannot fail")
            compared += 1
          }
        }
      }
    }
    XCTAssertEqual(compared, Self.models.count * Self.passings.count * Self.methods.count * 2)
  }
}

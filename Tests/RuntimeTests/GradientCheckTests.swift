import PPL
import XCTest

/// Every differentiable operation and log-density: `grad` against central finite
/// differences of the same PPL function (STYLE habit 7). Each case is the body of
/// `fn f(p: Tensor) -> Real`, evaluated at a point where it is smooth.
final class GradientCheckTests: XCTestCase {
  static let cases: [(name: String, body: String, point: [Double])] = [
    ("add sub mul div", "sum(p * p - p / (p + 3.0) + 2.0 * p)", [0.3, -1.2, 2.0]),
    ("broadcast real", "sum(p * p[0] + p[1])", [0.5, 1.5, -0.7]),
    ("powers", "sum(p ** 3.0) + p[0] ** p[1]", [1.3, 0.7]),
    ("negate", "sum(-p * p)", [0.3, 2.0]),
    ("exp log", "sum(exp(p)) + sum(log(p)) + log1p(p[0]) + expm1(p[1])", [0.4, 1.7]),
    ("sqrt abs", "sum(sqrt(p)) + abs(p[0] - 2.0)", [0.4, 1.7]),
    ("trig", "sum(sin(p) * cos(p)) + sum(tanh(p))", [0.4, -1.1]),
    ("sigmoid family", "sum(sigmoid(p)) + logit(sigmoid(p[0]) * 0.5) + sum(softplus(p))", [0.4, -1.1]),
    ("special", "sum(lgamma(p + 1.0)) + sum(erf(p))", [0.4, 1.3]),
    ("pow builtin", "pow(p[0], 2.5) + sum(pow(p, 1.5))", [0.8, 1.9]),
    ("min max", "min(p[0], p[1]) * 3.0 + max(p[0], p[1])", [0.8, 1.9]),
    ("reductions", "sum(mean(reshape(p, [2, 3]), 0) * tensor([1.0, 2.0, 3.0])) + mean(p) + sum(sum(reshape(p, [2, 3]), 1))", [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    ("matmul", "sum(matmul(reshape(p, [2, 2]), reshape(p, [2, 2])))", [0.3, -0.4, 1.2, 0.8]),
    ("matmul vector", "sum(matmul(reshape(p, [2, 2]), p[0..<2])) + sum(matmul(p[2..<4], reshape(p, [2, 2])))", [0.3, -0.4, 1.2, 0.8]),
    ("dot transpose", "dot(p, p) + sum(transpose(reshape(p, [2, 2])) * tensor([[1.0, 2.0], [3.0, 4.0]]))", [0.3, -0.4, 1.2, 0.8]),
    ("indexing", "reshape(p, [2, 2])[1, 0] * 2.0 + sum(reshape(p, [2, 2])[0]) + sum(p[1..<3])", [0.3, -0.4, 1.2, 0.8]),
    ("stack concat tensor", "sum(stack([p, p * 2.0]) * 1.5) + sum(concat([p, p * p], 0)) + sum(tensor([p[0], p[1] * 3.0]))", [0.3, -0.4]),
    ("lists", "sum([x * x for x in to_list(p)]) + fold(to_list(p), 0.0, |a, x| a + 2.0 * x)", [0.3, -0.4, 1.1]),
    ("loop over rows", "{ var s = 0.0; for row in reshape(p, [2, 2]) { s += sum(row * row) }; s }", [0.3, -0.4, 1.2, 0.8]),
    ("logsumexp softmax", "logsumexp(p) + sum(softmax(p) * tensor([1.0, 2.0, 3.0])) + sum(log_softmax(p) * tensor([3.0, 1.0, 2.0])) + logsumexp([p[0], p[2]])", [0.3, -0.4, 1.2]),
    ("control flow", "if p[0] > 0.0 { p[0] * p[1] } else { p[1] }", [0.3, 2.0]),
    // log-densities: parameters and values
    ("normal", "logpdf(normal(p[0], exp(p[1])), p[2])", [0.3, 0.2, 1.1]),
    ("lognormal", "logpdf(lognormal(p[0], exp(p[1])), exp(p[2]))", [0.3, 0.2, 1.1]),
    ("uniform", "logpdf(uniform(p[0], p[1]), 0.5)", [-0.3, 1.2]),
    ("beta", "logpdf(beta(exp(p[0]), exp(p[1])), sigmoid(p[2]))", [0.3, 0.2, 0.4]),
    ("gamma", "logpdf(gamma(exp(p[0]), exp(p[1])), exp(p[2]))", [0.3, 0.2, 0.4]),
    ("inv_gamma", "logpdf(inv_gamma(exp(p[0]), exp(p[1])), exp(p[2]))", [0.3, 0.2, 0.4]),
    ("exponential", "logpdf(exponential(exp(p[0])), exp(p[1]))", [0.3, 0.2]),
    ("cauchy", "logpdf(cauchy(p[0], exp(p[1])), p[2])", [0.3, 0.2, -0.4]),
    ("half_normal", "logpdf(half_normal(exp(p[0])), exp(p[1]))", [0.3, 0.2]),
    ("half_cauchy", "logpdf(half_cauchy(exp(p[0])), exp(p[1]))", [0.3, 0.2]),
    ("student_t", "logpdf(student_t(exp(p[0]) + 1.0, p[1], exp(p[2])), p[3])", [0.3, 0.2, -0.4, 0.9]),
    ("laplace", "logpdf(laplace(p[0], exp(p[1])), p[2])", [0.3, 0.2, -0.4]),
    ("bernoulli", "logpdf(bernoulli(sigmoid(p[0])), true) + logpdf(bernoulli_logit(p[1]), false)", [0.3, -0.8]),
    ("binomial", "logpdf(binomial(12, sigmoid(p[0])), 5)", [0.3]),
    ("poisson", "logpdf(poisson(exp(p[0])), 3)", [0.3]),
    ("geometric", "logpdf(geometric(sigmoid(p[0])), 4)", [0.3]),
    ("tensor parameters", "logpdf(normal(p[0..<2], exp(p[2])), tensor([0.5, -0.1])) + logpdf(gamma(exp(p), 2.0), ones([3]))", [0.3, 0.2, -0.4]),
    ("tensor value", "logpdf(normal(zeros([2]), 1.5), p[0..<2] * 2.0) + logpdf(normal(0, 1), p[2])", [0.3, 0.2, -0.4]),
    ("categorical", "logpdf(categorical(exp(p)), 1) + logpdf(categorical_logit(p), 2)", [0.3, 0.2, -0.4]),
    ("mvnormal", "logpdf(mvnormal(p[0..<2], tensor([[2.0, 0.3], [0.3, 1.0]]) * exp(p[2])), tensor([0.5, -0.1]))", [0.3, 0.2, -0.4]),
    ("mvnormal value", "logpdf(mvnormal(zeros([2]), eye(2)), p[0..<2])", [0.3, 0.2]),
    ("dirichlet", "logpdf(dirichlet(exp(p)), tensor([0.2, 0.5, 0.3]))", [0.3, 0.2, -0.4]),
  ]

  func testGradientsMatchFiniteDifferences() throws {
    for c in GradientCheckTests.cases {
      let ppl = Interpreter(options: .init(seed: 0))
      try ppl.load(source: "fn f(p: Tensor) -> Real { \(c.body) }", name: c.name)
      let point = Value.tensor(Tensor(shape: [c.point.count], data: c.point))
      let analytic = try ppl.eval("grad(f, tensor([\(c.point.map { "\($0)" }.joined(separator: ", "))]))").asTensor()
      for i in c.point.indices {
        let h = 1e-6
        var up = c.point, down = c.point
        up[i] += h
        down[i] -= h
        let fu = try ppl.call("f", [.tensor(Tensor(shape: [up.count], data: up))]).asReal()
        let fd = try ppl.call("f", [.tensor(Tensor(shape: [down.count], data: down))]).asReal()
        let numeric = (fu - fd) / (2 * h)
        XCTAssertEqual(analytic.data[i], numeric, accuracy: 1e-5 * max(1, abs(numeric)), "\(c.name): ∂/∂p[\(i)]")
      }
      _ = point
    }
  }

  func testMissingRulesFailLoudly() {
    let ppl = Interpreter(options: .init(seed: 0))
    XCTAssertThrowsError(try ppl.load(source: "fn f(x: Real) -> Real { digamma(x) }\nlet g = grad(f, 1.5)")) { e in
      XCTAssertEqual((e as? PPLError)?.message, "digamma has no derivative rule, so it cannot take a value that is being differentiated")
    }
    XCTAssertThrowsError(try ppl.load(source: "fn h(x: Real) -> Real { sort([x, 1.0])[0] }\nlet g = grad(h, 1.5)")) { e in
      XCTAssertEqual((e as? PPLError)?.message, "this operation has no derivative rule, so it cannot take a value that is being differentiated")
    }
    XCTAssertThrowsError(try ppl.load(source: "fn k(x: Real) -> Real { grad(|y: Real| y * x, 1.0) }\nlet g = grad(k, 1.5)")) { e in
      XCTAssertEqual((e as? PPLError)?.message, "grad inside grad (nested differentiation) is not supported yet")
    }
  }

  func testGradientHasTheShapeOfTheParameters() throws {
    let ppl = Interpreter(options: .init(seed: 0))
    try ppl.load(source: """
      type P = {layers: List[{w: Tensor, b: Tensor}], scale: (Real, Real)}
      fn loss(p: P) -> Real {
        var h = tensor([1.0, 2.0])
        for l in p.layers { h = tanh(matmul(h, l.w) + l.b) }
        let (a, b) = p.scale
        sum(h) * a + b * b
      }
      let p0 = {layers: [{w: eye(2), b: zeros([2])}, {w: ones([2, 3]), b: ones([3])}], scale: (2.0, 3.0)}
      let g = grad(loss, p0)
      let constant = grad(|p: P| 4.0, p0)
      """)
    XCTAssertEqual(ppl.format(try ppl.eval("shape(g.layers[1].w)")), "[2, 3]")
    XCTAssertEqual(try ppl.eval("{ let (da, db) = g.scale; db }").asReal(), 6.0, accuracy: 1e-12)
    XCTAssertEqual(ppl.format(try ppl.eval("constant.layers[0].b")), "tensor([0.0, 0.0])")
  }
}

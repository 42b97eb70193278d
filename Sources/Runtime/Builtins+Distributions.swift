import Distributions
import Tensor

extension RuntimeBuiltins {
  static func make(_ c: CallContext, _ d: () throws -> Distribution) throws -> Value {
    do { return .dist(try d().validated()) } catch let e as DistributionError { throw c.fail(e.message) }
  }

  static func registerDistributions(_ r: BuiltinRegistry) {
    let twoReal: [(String, (Double, Double) -> Distribution)] = [
      ("normal", { .normal(mu: $0, sd: $1) }), ("lognormal", { .lognormal(mu: $0, sd: $1) }),
      ("uniform", { .uniform(a: $0, b: $1) }), ("beta", { .beta(a: $0, b: $1) }),
      ("gamma", { .gamma(shape: $0, rate: $1) }), ("inv_gamma", { .invGamma(shape: $0, scale: $1) }),
      ("cauchy", { .cauchy(loc: $0, scale: $1) }), ("laplace", { .laplace(loc: $0, scale: $1) }),
    ]
    for (name, build) in twoReal {
      r.register("\(name)(Real, Real)") { a, c in try make(c) { build(try a[0].asReal(), try a[1].asReal()) } }
    }
    let oneReal: [(String, (Double) -> Distribution)] = [
      ("exponential", { .exponential(rate: $0) }), ("half_normal", { .halfNormal(sd: $0) }),
      ("half_cauchy", { .halfCauchy(scale: $0) }), ("bernoulli", { .bernoulli(p: $0) }),
      ("poisson", { .poisson(rate: $0) }), ("geometric", { .geometric(p: $0) }),
      ("bernoulli_logit", { .bernoulli(p: sigmoid($0)) }),
    ]
    for (name, build) in oneReal {
      r.register("\(name)(Real)") { a, c in try make(c) { build(try a[0].asReal()) } }
    }
    r.register("student_t(Real, Real, Real)") { a, c in
      try make(c) { .studentT(nu: try a[0].asReal(), loc: try a[1].asReal(), scale: try a[2].asReal()) }
    }
    r.register("binomial(Int, Real)") { a, c in try make(c) { .binomial(n: try a[0].asInt(), p: try a[1].asReal()) } }
    r.register("uniform_discrete(Int, Int)") { a, c in try make(c) { .uniformDiscrete(lo: try a[0].asInt(), hi: try a[1].asInt()) } }
    for t in ["List[Real]", "Tensor"] {
      r.register("categorical(\(t))") { a, c in try make(c) { try .categorical(probs: try a[0].asTensor().data) } }
      r.register("categorical_logit(\(t))") { a, c in try make(c) { try .categorical(logits: try a[0].asTensor().data) } }
    }
    r.register("logpdf(Dist[?], ?)") { a, c in
      guard case .dist(let d) = a[0] else { throw c.fail("logpdf expects a distribution") }
      guard let x = a[1].outcome else { throw c.fail("\(d.name) cannot score a value of type \(a[1].typeName)") }
      return .real(d.logpdf(x))
    }
    r.register("sample(Dist[?])") { a, c in
      guard case .dist(let d) = a[0] else { throw c.fail("sample expects a distribution") }
      return Value(d.sample(&c.runtime.rng))
    }
    r.register("support(Dist[?])") { a, c in
      guard case .dist(let d) = a[0] else { throw c.fail("support expects a distribution") }
      guard let s = d.support else { throw c.fail("\(d.name) has no finite support") }
      return .list(s.map(Value.init))
    }
  }
}

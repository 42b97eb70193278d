import Distributions
import Tensor
import Types

extension RuntimeBuiltins {
  static func make(_ c: CallContext, _ d: () throws -> Distribution) throws -> Value {
    do { return .dist(try d()) } catch let e as DistributionError { throw c.fail(e.message) }
  }

  /// A family's parameters: scalars, or tensors when any argument is one.
  static func family(_ f: Family, _ args: [Value], _ c: CallContext, transform: (Double) -> Double = { $0 }) throws -> Value {
    try make(c) {
      if args.contains(where: { if case .tensor = $0 { return true } else { return false } }) {
        return try .make(f, try args.map { try $0.asTensor().map(transform) })
      }
      var p = Params(0)
      for (i, a) in args.enumerated() { p[i] = transform(try a.asReal()) }
      return try .make(f, p)
    }
  }

  static func registerDistributions(_ r: BuiltinRegistry) {
    for signature in Builtins.familySignatures.compactMap(Builtins.parseSignature) {
      let key = BuiltinRegistry.key(signature)
      if signature.name == "bernoulli_logit" {
        r.register(key) { a, c in try family(.bernoulli, a, c, transform: sigmoid) }
      } else if let f = Family(rawValue: signature.name) {
        r.register(key) { a, c in try family(f, a, c) }
      }
    }
    r.register("binomial(Int, Real)") { a, c in try family(.binomial, [.real(Double(try a[0].asInt())), a[1]], c) }
    r.register("binomial(Int, Tensor)") { a, c in try family(.binomial, [.real(Double(try a[0].asInt())), a[1]], c) }
    r.register("uniform_discrete(Int, Int)") { a, c in
      try make(c) { try .make(.uniformDiscrete, Params(Double(try a[0].asInt()), Double(try a[1].asInt()))) }
    }
    for t in ["List[Real]", "Tensor"] {
      r.register("categorical(\(t))") { a, c in try make(c) { try .categorical(probs: try a[0].asTensor().data) } }
      r.register("categorical_logit(\(t))") { a, c in try make(c) { try .categorical(logits: try a[0].asTensor().data) } }
      r.register("dirichlet(\(t))") { a, c in try make(c) { try .dirichlet(try a[0].asTensor().data) } }
      r.register("mixture(\(t), List[Dist[?]])") { a, c in
        let components = try a[1].asList().map { v -> Distribution in
          guard case .dist(let d) = v else { throw c.fail("mixture components must be distributions") }
          return d
        }
        return try make(c) { try .mixture(weights: try a[0].asTensor().data, components) }
      }
    }
    r.register("mvnormal(Tensor, Tensor)") { a, c in
      try make(c) { .mvnormal(try MultivariateNormal(mean: try a[0].asTensor(), cov: try a[1].asTensor())) }
    }
    r.register("iid(Dist[?], Int)") { a, c in
      guard case .dist(let d) = a[0] else { throw c.fail("iid expects a distribution") }
      let n = try a[1].asInt()
      guard n >= 0 else { throw c.fail("iid: n must be non-negative, got \(n)") }
      guard d.isScalarValued else { throw c.fail("iid: \(d.name) does not draw numbers") }
      return .dist(.iid(d, n))
    }
    r.register("dirac(?)") { a, c in
      guard let o = a[0].outcome else { throw c.fail("dirac holds a number, a Bool or a tensor, not a \(a[0].typeName)") }
      return .dist(.dirac(o))
    }
    r.register("logpdf(Dist[?], ?)") { a, c in
      guard case .dist(let d) = a[0] else { throw c.fail("logpdf expects a distribution") }
      guard let x = a[1].outcome else { throw c.fail("\(d.name) cannot score a value of type \(a[1].typeName)") }
      do { return .real(try d.logpdf(x)) } catch let e as DistributionError { throw c.fail(e.message) }
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

import Distributions
import Tensor
import Types

extension RuntimeBuiltins {
  static func make(_ c: CallContext, _ d: () throws -> Distribution) throws -> Value {
    do { return .dist(try d()) } catch let e as DistributionError { throw c.fail(e.message) }
  }

  /// A family's parameters: scalars, or tensors when any argument is one. Parameters
  /// being differentiated make a `trackedDist` whose log-density records on the tape.
  static func family(_ f: Family, _ args: [Value], _ c: CallContext) throws -> Value {
    if args.contains(where: Autodiff.isTracked) {
      guard case .dist(let d) = try family(f, args.map(primalValue), c) else { return .unit }  // unreachable: family builds a dist
      return .trackedDist(TrackedDistribution(d, .family(try Autodiff.operands(args))))
    }
    return try make(c) {
      if args.contains(where: { if case .tensor = $0 { return true } else { return false } }) {
        return try .make(f, try args.map { try $0.asTensor() })
      }
      var p = Params(0)
      for (i, a) in args.enumerated() { p[i] = try a.asReal() }
      return try .make(f, p)
    }
  }

  /// A distribution of one vector parameter, tracked when the parameter is (the
  /// parameter may be a list of Reals, some of them differentiated).
  static func tracking(_ v: Value, _ tracked: (Operand) -> TrackedParameters, _ c: CallContext,
                       _ build: (Tensor) throws -> Distribution) throws -> Value {
    let p = Autodiff.isTracked(v) ? try trackedTensor(v) : v
    let d = try make(c) { try build(try p.primalTensor()) }
    guard Autodiff.isTracked(p), case .dist(let dist) = d, let o = Autodiff.operand(p) else { return d }
    return .trackedDist(TrackedDistribution(dist, tracked(o)))
  }

  static func noRule(_ name: String) -> String {
    "\(name) of a distribution whose parameters are being differentiated has no derivative rule yet; " +
      "use tensor parameters instead (normal(mu, sd) with Tensor mu scores every element)"
  }

  static func registerDistributions(_ r: BuiltinRegistry) {
    for signature in Builtins.familySignatures.compactMap(Builtins.parseSignature) {
      let key = BuiltinRegistry.key(signature)
      if let f = Family(rawValue: signature.name) {
        r.register(key) { a, c in try family(f, a, c) }
      }
    }
    r.register("binomial(Int, Real)") { a, c in try family(.binomial, [.real(Double(try a[0].asInt())), a[1]], c) }
    r.register("binomial(Int, Tensor)") { a, c in try family(.binomial, [.real(Double(try a[0].asInt())), a[1]], c) }
    r.register("uniform_discrete(Int, Int)") { a, c in
      try make(c) { try .make(.uniformDiscrete, Params(Double(try a[0].asInt()), Double(try a[1].asInt()))) }
    }
    for t in ["List[Real]", "Tensor"] {
      r.register("categorical(\(t))") { a, c in
        try tracking(a[0], { .categoricalProbs($0) }, c) { try .categorical(probs: $0.data) }
      }
      r.register("categorical_logit(\(t))") { a, c in
        try tracking(a[0], { .categoricalLogits($0) }, c) { try .categorical(logits: $0.data) }
      }
      r.register("dirichlet(\(t))") { a, c in try tracking(a[0], { .dirichlet($0) }, c) { try .dirichlet($0.data) } }
      r.register("mixture(\(t), List[Dist[?]])") { a, c in
        let components = try a[1].asList().map { v -> Distribution in
          if Autodiff.isTracked(v) { throw c.fail(noRule("mixture")) }
          return try Autodiff.primal(v)
        }
        return try make(c) { try .mixture(weights: try a[0].asTensor().data, components) }
      }
    }
    r.register("mvnormal(Tensor, Tensor)") { a, c in
      let d = try make(c) { .mvnormal(try MultivariateNormal(mean: try a[0].primalTensor(), cov: try a[1].primalTensor())) }
      guard a.contains(where: Autodiff.isTracked), case .dist(let dist) = d else { return d }
      let ops = try Autodiff.operands(a)
      return .trackedDist(TrackedDistribution(dist, .mvnormal(mean: ops[0], cov: ops[1])))
    }
    r.register("iid(Dist[?], Int)") { a, c in
      if Autodiff.isTracked(a[0]) { throw c.fail(noRule("iid")) }
      let d = try Autodiff.primal(a[0])
      let n = try a[1].asInt()
      guard n >= 0 else { throw c.fail("iid: n must be non-negative, got \(n)") }
      guard n <= Tensor.maxElements else { throw c.fail("iid: n must be at most \(Tensor.maxElements), got \(n)") }
      guard d.isScalarValued else { throw c.fail("iid: \(d.name) does not draw numbers") }
      return .dist(.iid(d, n))
    }
    r.register("dirac(?)") { a, c in
      guard let o = a[0].outcome else { throw c.fail("dirac holds a number, a Bool or a tensor, not a \(a[0].typeName)") }
      return .dist(.dirac(o))
    }
    r.register("logpdf(Dist[?], ?)") { a, c in
      let d = try Autodiff.primal(a[0])
      guard let x = a[1].outcome else { throw c.fail("\(d.name) cannot score a value of type \(a[1].typeName)") }
      do { return .real(try d.logpdf(x)) } catch let e as DistributionError { throw c.fail(e.message) }
    }
    r.register("sample(Dist[?])") { a, c in Value(try Autodiff.primal(a[0]).sample(&c.runtime.rng)) }
    r.register("support(Dist[?])") { a, c in
      let d = try Autodiff.primal(a[0])
      guard let s = d.support else { throw c.fail("\(d.name) \(d.supportProblem)") }
      return .list(s.map(Value.init))
    }
  }
}

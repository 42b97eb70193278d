import Distributions
import Tensor
import Types

extension RuntimeBuiltins {
  static func make(_ c: CallContext, _ d: () throws -> Distribution) throws -> Value {
    do { return .dist(try d()) } catch let e as DistributionError {
      var error = c.fail(e.message)
      error.isOutsideDomain = e.isInvalidParameter
      throw error
    }
  }

  /// A family's parameters: scalars, or tensors when any argument is one. Parameters
  /// being differentiated make a `trackedDist` whose log-density records on the tape.
  static func family(_ f: Family, _ args: [Value], _ c: CallContext) throws -> Value {
    if args.contains(where: Autodiff.isTracked) {
      guard case .dist(let d) = try family(f, args.map(primalValue), c) else { throw c.fail("internal: \(f.name) built no distribution") }
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

  /// A family's distributions for every member of a batch, where each parameter is a
  /// Real or Int (shared or per member); nil for anything else (member by member).
  static func familyColumn(_ f: Family, _ args: [BatchValue], _ n: Int, _ c: CallContext) throws -> BatchValue? {
    var parameters: [[Double]] = []
    for a in args {
      switch a {
      case .uniform(.real(let x)): parameters.append([x])
      case .uniform(.int(let x)): parameters.append([Double(x)])
      case .column(.reals(let xs)): parameters.append(xs)
      case .column(.ints(let xs)): parameters.append(xs.map(Double.init))
      default: return nil
      }
    }
    do { return .column(.distributions(try DistributionColumn(f, parameters, count: n))) } catch let e as DistributionError {
      var error = c.fail(e.message)
      error.isOutsideDomain = e.isInvalidParameter
      throw error
    }
  }

  /// The builtin signatures of a family, generated from its declaration: Real parameters
  /// may each be a Real or a Tensor (any Tensor makes an elementwise product drawing
  /// Tensors), Int parameters are Ints; the all-scalar form comes first.
  static func familySignatures(_ f: Family) -> [String] {
    let draw: String
    switch f.kind {
    case .real: draw = "Real"
    case .int: draw = "Int"
    case .bool: draw = "Bool"
    }
    let real = f.parameters.indices.filter { !f.parameters[$0].isInteger }
    return (0..<(1 << real.count)).map { mask in
      let params = f.parameters.enumerated().map { i, p -> String in
        guard let k = real.firstIndex(of: i) else { return "\(p.name): Int" }
        return "\(p.name): \(mask & (1 << k) != 0 ? "Tensor" : "Real")"
      }
      return "fn \(f.name)(\(params.joined(separator: ", "))) -> Dist[\(mask == 0 ? draw : "Tensor")]"
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

  static func declareDistributions(_ r: BuiltinRegistry) {
    for f in Family.all {
      let hasIntegers = f.parameters.contains(where: \.isInteger)
      for (k, text) in familySignatures(f).enumerated() {
        r.declare(text, batched: k == 0 ? { args, n, c in try familyColumn(f, args, n, c) } : nil) { a, c in
          guard hasIntegers else { return try family(f, a.values, c) }
          return try family(f, a.values.map { if case .int(let i) = $0 { return .real(Double(i)) } else { return $0 } }, c)
        }
      }
    }
    // A family without parameters (flat) has no tensor to broadcast: its products take a shape.
    for f in Family.all where f.arity == 0 {
      r.declare("fn \(f.name)(shape: List[Int]) -> Dist[Tensor]") { a, c in
        .dist(.product(f, [], shape: try shape(try a["shape"], c)))
      }
    }
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn categorical(probs: \(t)) -> Dist[Int]") { a, c in
        try tracking(try a["probs"], { .categoricalProbs($0) }, c) { try .categorical(probs: $0.data) }
      }
    }
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn categorical_logit(logits: \(t)) -> Dist[Int]") { a, c in
        try tracking(try a["logits"], { .categoricalLogits($0) }, c) { try .categorical(logits: $0.data) }
      }
    }
    r.declare("fn mvnormal(mean: Tensor, cov: Tensor) -> Dist[Tensor]") { a, c in
      let mean = try a["mean"], cov = try a["cov"]
      let d = try make(c) { .mvnormal(try MultivariateNormal(mean: try mean.primalTensor(), cov: try cov.primalTensor())) }
      guard a.areTracked, case .dist(let dist) = d else { return d }
      let ops = try Autodiff.operands([mean, cov])
      return .trackedDist(TrackedDistribution(dist, .mvnormal(mean: ops[0], cov: ops[1])))
    }
    for t in ["Tensor", "List[Real]"] {
      r.declare("fn dirichlet(alpha: \(t)) -> Dist[Tensor]") { a, c in
        try tracking(try a["alpha"], { .dirichlet($0) }, c) { try .dirichlet($0.data) }
      }
    }
    r.declare("fn iid(d: Dist[a], n: Int) -> Dist[Tensor]") { a, c in
      if Autodiff.isTracked(try a["d"]) { throw c.fail(noRule("iid")) }
      let d = try Autodiff.primal(try a["d"])
      let n = try a.int("n")
      guard n >= 0 else { throw c.fail("iid: n must be non-negative, got \(n)") }
      guard n <= Tensor.maxElements else { throw c.fail("iid: n must be at most \(Tensor.maxElements), got \(n)") }
      guard d.isScalarValued else { throw c.fail("iid: \(d.name) does not draw numbers") }
      return .dist(.iid(d, n))
    }
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn multinomial(n: Int, probs: \(t)) -> Dist[Tensor]") { a, c in
        let n = try a.int("n")
        guard n >= 0, n < 1 << 53 else { throw c.fail("multinomial: n must be a non-negative Int below 2^53, got \(n)") }
        return try tracking(try a["probs"], { .categoricalProbs($0) }, c) { try .multinomial(n: n, probs: $0.data) }
      }
      r.declare("fn multinomial_logit(n: Int, logits: \(t)) -> Dist[Tensor]") { a, c in
        let n = try a.int("n")
        guard n >= 0, n < 1 << 53 else { throw c.fail("multinomial_logit: n must be a non-negative Int below 2^53, got \(n)") }
        return try tracking(try a["logits"], { .categoricalLogits($0) }, c) { try .multinomial(n: n, logits: $0.data) }
      }
    }
    r.declare("fn lkj_cholesky(n: Int, eta: Real) -> Dist[Tensor]") { a, c in
      if Autodiff.isTracked(try a["eta"]) { throw c.fail(noRule("lkj_cholesky")) }
      let n = try a.int("n"), eta = try a.real("eta")
      guard (1...1000).contains(n) else { throw c.fail("lkj_cholesky: n must lie in 1...1000, got \(n)") }
      guard eta > 0, eta.isFinite else {
        var error = c.fail("lkj_cholesky: parameter eta must be positive and finite, got \(eta)")
        error.isOutsideDomain = true
        throw error
      }
      return .dist(.lkjCholesky(dimension: n, eta: eta))
    }
    r.declare("fn ordered(d: Dist[Real], n: Int) -> Dist[Tensor]") { a, c in
      if Autodiff.isTracked(try a["d"]) { throw c.fail(noRule("ordered")) }
      let d = try Autodiff.primal(try a["d"]), n = try a.int("n")
      guard n >= 1, n <= Tensor.maxElements else { throw c.fail("ordered: n must lie in 1...\(Tensor.maxElements), got \(n)") }
      guard case .scalar(let f, _) = d, f.kind == .real, case .interval(.value(_), .value(let hi)) = f.support, hi == .infinity else {
        throw c.fail("ordered: the draws must come from a continuous family on the real line or above a fixed lower bound (normal, half_normal, gamma, …), not \(d.name)")
      }
      return .dist(.ordered(d, n))
    }
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn mixture(weights: \(t), components: List[Dist[a]]) -> Dist[a]") { a, c in
        let values = try a.list("components"), given = try a["weights"]
        let weights = Autodiff.isTracked(given) ? try trackedTensor(given) : given
        let components = try values.map { try Autodiff.primal($0) }
        if let improper = components.first(where: { if case .scalar(let f, _) = $0 { return f.isImproper } else { return false } }) {
          throw c.fail("mixture: \(improper.name) is an improper prior, which cannot be a component (its weight would be meaningless)")
        }
        let d = try make(c) { try .mixture(weights: try weights.primalTensor().data, components) }
        guard Autodiff.isTracked(weights) || values.contains(where: Autodiff.isTracked), case .dist(let dist) = d else { return d }
        let w = Autodiff.isTracked(weights) ? try Autodiff.operands([weights])[0] : .constant(try weights.primalTensor())
        return .trackedDist(TrackedDistribution(dist, .mixture(weights: w, components: values)))
      }
    }
    // A dirac of a differentiated value keeps it: its draw is the value itself, so a
    // choice `let theta ~ dirac(f(mu))` (a transformed parameter) carries f's derivative.
    r.declare("fn dirac(value: a) -> Dist[a]") { a, c in
      let v = try a["value"]
      guard let o = primalValue(v).outcome else { throw c.fail("dirac holds a number, a Bool or a tensor, not a \(v.typeName)") }
      return Autodiff.isTracked(v) ? .trackedDist(TrackedDistribution(.dirac(o), .dirac(v))) : .dist(.dirac(o))
    }
    for draw in ["Real", "Int", "Bool", "Tensor"] {
      r.declare("fn logpdf_each(d: Dist[\(draw)], x: Tensor) -> Tensor", differentiability: .rule { a, _ in
        try Autodiff.logpdfEach(try a["d"], try a["x"])
      }) { a, c in
        let x = try a.tensor("x")
        do {
          return .tensor(Tensor(shape: x.shape, data: try Autodiff.primal(try a["d"]).elementwiseLogDensities(x, gradients: false).values))
        } catch let e as DistributionError { throw c.fail(e.message) }
      }
    }
    r.declare("fn logpdf(d: Dist[a], x: a) -> Real", differentiability: .rule { a, _ in
      try Autodiff.logpdf(try a["d"], try a["x"])
    }) { a, c in
      let d = try Autodiff.primal(try a["d"]), x = try a["x"]
      guard let outcome = x.outcome else { throw c.fail("\(d.name) cannot score a value of type \(x.typeName)") }
      do { return .real(try d.logpdf(outcome)) } catch let e as DistributionError { throw c.fail(e.message) }
    }
    r.declare("fn sample(d: Dist[a]) -> a") { a, c in
      do { return Value(try Autodiff.primal(try a["d"]).sample(&c.runtime.rng)) } catch let e as DistributionError { throw c.fail(e.message) }
    }
    r.declare("fn support(d: Dist[a]) -> List[a]") { a, c in
      let d = try Autodiff.primal(try a["d"])
      guard let s = d.support else { throw c.fail("\(d.name) \(d.supportProblem)") }
      return .list(s.map(Value.init))
    }
  }
}

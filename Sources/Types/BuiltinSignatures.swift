import IR
import Syntax

/// One overload of a builtin: labelled parameters (some with defaults), a result type,
/// and whether the last parameter repeats. Lowercase single-letter type names are
/// type parameters, instantiated afresh at each call.
public struct BuiltinSignature: Sendable {
  public struct Parameter: Sendable {
    public var label: String
    public var type: Type
    public var defaultValue: IRLiteral?
  }
  public var name: String
  public var parameters: [Parameter]
  public var result: Type
  public var variadic: Bool
  public var text: String
}

/// The table of builtin signatures, keyed by name; overloads in resolution order.
/// Implementations live in the runtime, keyed by the same name and overload index.
public enum Builtins {
  public static let table: [String: [BuiltinSignature]] = {
    var table: [String: [BuiltinSignature]] = [:]
    for text in signatureTexts {
      guard let sig = parseSignature(text) else { continue }  // unreachable: texts are fixed
      table[sig.name, default: []].append(sig)
    }
    return table
  }()

  /// Builtin constants usable as values.
  public static let constants: [String: Type] = ["pi": .real, "inf": .real, "nan": .real]

  static let unaryMath = ["exp", "log", "log1p", "expm1", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid",
                          "logit", "softplus", "relu", "lgamma", "digamma", "erf", "floor", "ceil", "round"]

  static var signatureTexts: [String] {
    var texts: [String] = []
    texts.append("fn abs(x: Int) -> Int")
    for f in unaryMath {
      texts.append("fn \(f)(x: Real) -> Real")
      texts.append("fn \(f)(x: Tensor) -> Tensor")
    }
    texts += [
      "fn pow(x: Real, y: Real) -> Real",
      "fn pow(x: Tensor, y: Real) -> Tensor",
      "fn min(a: Int, b: Int) -> Int", "fn min(a: Real, b: Real) -> Real",
      "fn max(a: Int, b: Int) -> Int", "fn max(a: Real, b: Real) -> Real",
      "fn real(i: Int) -> Real", "fn int(x: Real) -> Int", "fn is_nan(x: Real) -> Bool",
      "fn int(s: String) -> Int", "fn real(s: String) -> Real",
      // strings and printing
      "fn str(x: any) -> String", "fn print(values: any...) -> Unit",
      "fn len(s: String) -> Int", "fn len(xs: List[a]) -> Int", "fn len(t: Tensor) -> Int",
      // lists
      "fn map(xs: List[a], f: fn(a) -> b) -> List[b]",
      "fn filter(xs: List[a], p: fn(a) -> Bool) -> List[a]",
      "fn fold(xs: List[a], init: b, f: fn(b, a) -> b) -> b",
      "fn zip(xs: List[a], ys: List[b]) -> List[(a, b)]",
      "fn sum(xs: List[Int]) -> Int", "fn sum(xs: List[Real]) -> Real",
      "fn sum(t: Tensor) -> Real", "fn sum(t: Tensor, axis: Int) -> Tensor",
      "fn mean(t: Tensor) -> Real", "fn mean(t: Tensor, axis: Int) -> Tensor",
      "fn range(n: Int) -> List[Int]",
      "fn reverse(xs: List[a]) -> List[a]",
      "fn sort(xs: List[Int]) -> List[Int]", "fn sort(xs: List[Real]) -> List[Real]",
      "fn sort(xs: List[String]) -> List[String]",
      "fn concat(xs: List[a], ys: List[a]) -> List[a]",
      "fn concat(ts: List[Tensor], axis: Int = 0) -> Tensor",
      "fn append(xs: List[a], x: a) -> List[a]",
      // tensors
      "fn tensor(values: any) -> Tensor",
      "fn zeros(shape: List[Int]) -> Tensor", "fn ones(shape: List[Int]) -> Tensor",
      "fn full(shape: List[Int], value: Real) -> Tensor", "fn eye(n: Int) -> Tensor",
      "fn linspace(a: Real, b: Real, n: Int) -> Tensor",
      "fn shape(t: Tensor) -> List[Int]",
      "fn reshape(t: Tensor, shape: List[Int]) -> Tensor",
      "fn transpose(t: Tensor) -> Tensor",
      "fn matmul(a: Tensor, b: Tensor) -> Tensor",
      "fn dot(a: Tensor, b: Tensor) -> Real",
      "fn stack(ts: List[Tensor]) -> Tensor",
      "fn to_list(t: Tensor) -> List[Real]",
      "fn randn(shape: List[Int]) -> Tensor", "fn randn(shape: List[Int], seed: Int) -> Tensor",
      "fn logsumexp(t: Tensor) -> Real", "fn logsumexp(t: Tensor, axis: Int) -> Tensor",
      "fn logsumexp(xs: List[Real]) -> Real",
      "fn softmax(t: Tensor) -> Tensor", "fn log_softmax(t: Tensor) -> Tensor",
      "fn argmax(t: Tensor) -> Int",
      // I/O
      "fn load_csv(path: String, header: Bool = true) -> Tensor",
      "fn save_csv(t: Tensor, path: String) -> Unit",
      "fn args() -> List[String]",
      "fn clock() -> Real",
      "fn plot_hist(values: List[Real], path: String) -> Unit", "fn plot_hist(values: Tensor, path: String) -> Unit",
      "fn plot_line(xs: List[Real], ys: List[Real], path: String) -> Unit",
      "fn plot_line(xs: Tensor, ys: Tensor, path: String) -> Unit",
      "fn plot_scatter(xs: List[Real], ys: List[Real], path: String) -> Unit",
      "fn plot_scatter(xs: Tensor, ys: Tensor, path: String) -> Unit",
      "fn plot_images(images: Tensor, width: Int, path: String) -> Unit",
      "fn hist(values: List[Real]) -> Unit", "fn hist(values: Tensor) -> Unit",
      // distributions (families with tensor parameters are generated below)
      "fn categorical(probs: List[Real]) -> Dist[Int]",
      "fn categorical(probs: Tensor) -> Dist[Int]",
      "fn categorical_logit(logits: List[Real]) -> Dist[Int]",
      "fn categorical_logit(logits: Tensor) -> Dist[Int]",
      "fn binomial(n: Int, p: Real) -> Dist[Int]", "fn binomial(n: Int, p: Tensor) -> Dist[Tensor]",
      "fn uniform_discrete(lo: Int, hi: Int) -> Dist[Int]",
      "fn mvnormal(mean: Tensor, cov: Tensor) -> Dist[Tensor]",
      "fn dirichlet(alpha: Tensor) -> Dist[Tensor]", "fn dirichlet(alpha: List[Real]) -> Dist[Tensor]",
      "fn iid(d: Dist[a], n: Int) -> Dist[Tensor]",
      "fn mixture(weights: List[Real], components: List[Dist[a]]) -> Dist[a]",
      "fn mixture(weights: Tensor, components: List[Dist[a]]) -> Dist[a]",
      "fn dirac(value: a) -> Dist[a]",
      "fn logpdf(d: Dist[a], x: a) -> Real",
      "fn sample(d: Dist[a]) -> a",
      "fn support(d: Dist[a]) -> List[a]",
      // traces and the generative function interface
      "fn simulate(g: Gen[a -> r], args: a) -> Trace[r]",
      "fn generate(g: Gen[a -> r], args: a, constraints: ChoiceMap) -> (Trace[r], Real)",
      "fn assess(g: Gen[a -> r], args: a, choices: ChoiceMap) -> Real",
      "fn propose(g: Gen[a -> r], args: a) -> (ChoiceMap, Real, r)",
      "fn update(trace: Trace[r], args: a, constraints: ChoiceMap) -> (Trace[r], Real)",
      "fn regenerate(trace: Trace[r], selection: Selection) -> (Trace[r], Real)",
      "fn select(addresses: Addr...) -> Selection", "fn select_all() -> Selection",
      "fn choicemap_from(addresses: List[a], values: List[b]) -> ChoiceMap",
      "fn has(choices: ChoiceMap, address: Addr) -> Bool",
      "fn merge(a: ChoiceMap, b: ChoiceMap) -> ChoiceMap",
      "fn addresses(choices: ChoiceMap) -> List[Addr]",
      // inference and results
      "fn importance(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000) -> Posterior",
      "fn importance(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int, proposal: Gen[a -> s]) -> Posterior",
      "fn enumerate(g: Gen[a -> r], args: a, obs: ChoiceMap) -> Posterior",
      "fn unfold(step: Gen[(Int, s) -> s], init: s, T: Int) -> Gen[() -> List[s]]",
      "fn pmmh(g: Gen[a -> r], args: a, obs: ChoiceMap, proposal: Gen[(Trace[r]) -> s], particles: Int = 100, samples: Int = 1000, burn: Int = 0, chains: Int = 1) -> Samples",
      // SMC's steps, for custom SMC algorithms written in PPL (stdlib/smc.ppl)
      "fn smc_init(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000) -> Particles",
      "fn smc_advance(ps: Particles) -> Particles",
      "fn smc_resample(ps: Particles, resample: String = \"systematic\") -> Particles",
      "fn smc_rejuvenate(ps: Particles, kernel: fn(Trace[r]) -> Trace[r]) -> Particles",
      "fn smc_ess(ps: Particles) -> Real",
      "fn smc_done(ps: Particles) -> Bool",
      "fn mean(ps: Particles, address: Addr) -> Real",
      "fn smc_posterior(ps: Particles) -> Posterior",
      "fn smc(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000, resample: String = \"systematic\", ess_threshold: Real = 0.5) -> Posterior",
      "fn smc(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000, resample: String = \"systematic\", ess_threshold: Real = 0.5, rejuvenate: fn(Trace[r]) -> Trace[r]) -> Posterior",
      "fn mean(post: Posterior, address: Addr) -> Real", "fn sd(post: Posterior, address: Addr) -> Real",
      "fn quantile(post: Posterior, address: Addr, q: Real) -> Real", "fn ess(post: Posterior, address: Addr) -> Real",
      "fn prob(post: Posterior, address: Addr, value: a) -> Real", "fn log_evidence(post: Posterior) -> Real",
      "fn weights(post: Posterior) -> Tensor", "fn traces(post: Posterior) -> List[Trace[r]]",
      "fn draw(post: Posterior) -> Trace[r]", "fn values(post: Posterior, address: Addr) -> Tensor",
      "fn summary(post: Posterior) -> Unit",
      "fn to_csv(post: Posterior, path: String) -> Unit", "fn to_json(post: Posterior, path: String) -> Unit",
      "fn mean(samples: Samples, address: Addr) -> Real", "fn sd(samples: Samples, address: Addr) -> Real",
      "fn quantile(samples: Samples, address: Addr, q: Real) -> Real", "fn ess(samples: Samples, address: Addr) -> Real",
      "fn rhat(samples: Samples, address: Addr) -> Real", "fn divergences(samples: Samples) -> Int", "fn prob(samples: Samples, address: Addr, value: a) -> Real",
      "fn traces(samples: Samples) -> List[Trace[r]]", "fn draw(samples: Samples) -> Trace[r]",
      "fn values(samples: Samples, address: Addr) -> Tensor", "fn summary(samples: Samples) -> Unit",
      "fn to_csv(samples: Samples, path: String) -> Unit", "fn to_json(samples: Samples, path: String) -> Unit",
      // MCMC kernels (Kernel[R] = fn(Trace[R]) -> Trace[R]) and the runner
      "fn mh(trace: Trace[r], selection: Selection) -> Trace[r]",
      "fn mh(trace: Trace[r], proposal: Gen[p -> q], proposal_args: a) -> Trace[r]",
      "fn hmc(trace: Trace[r], selection: Selection, step: Real = 0.1, leapfrog: Int = 10) -> Trace[r]",
      "fn mala(trace: Trace[r], selection: Selection, step: Real = 0.1) -> Trace[r]",
      "fn gibbs(trace: Trace[r], address: Addr) -> Trace[r]",
      "fn nuts(g: Gen[a -> r], args: a, obs: ChoiceMap, warmup: Int = 1000, samples: Int = 1000, chains: Int = 1, target_accept: Real = 0.8) -> Samples",
      "fn divergences(samples: Samples) -> Int",
      "fn elliptical_slice(trace: Trace[r], address: Addr) -> Trace[r]",
      "fn cycle(kernels: List[fn(Trace[r]) -> Trace[r]]) -> fn(Trace[r]) -> Trace[r]",
      "fn repeat(kernel: fn(Trace[r]) -> Trace[r], n: Int) -> fn(Trace[r]) -> Trace[r]",
      "fn mcmc(g: Gen[a -> r], args: a, obs: ChoiceMap, kernel: fn(Trace[r]) -> Trace[r], samples: Int = 1000, burn: Int = 0, thin: Int = 1, chains: Int = 1) -> Samples",
      "fn estimate(e: Expect) -> Real",
      "fn transformed(base: Dist[Tensor], bijector: {forward: fn(Tensor) -> Tensor, inverse: fn(Tensor) -> Tensor, log_det: fn(Tensor) -> Tensor}) -> Dist[Tensor]",
      "fn transformed(base: Dist[Tensor], bijector: {forward: fn(Tensor) -> Tensor, inverse: fn(Tensor) -> Tensor, inverse_with_log_det: fn(Tensor) -> (Tensor, Tensor), log_det: fn(Tensor) -> Tensor}) -> Dist[Tensor]",
      // gradient strategies: `d.reparam` is `__reparam(d)`, and so on
      "fn __reparam(d: Dist[a]) -> Dist[a]", "fn __reinforce(d: Dist[a]) -> Dist[a]",
      "fn __reinforce_baseline(d: Dist[a], baseline: Real) -> Dist[a]", "fn __enum(d: Dist[a]) -> Dist[a]",
      "fn __mvd(d: Dist[a]) -> Dist[a]",
      // differentiation
      "fn grad(f: fn(a) -> Real, theta: a) -> a",
      "fn value_and_grad(f: fn(a) -> Real, theta: a) -> (Real, a)",
      "fn grad(objective: fn(a) -> Expect, theta: a) -> a",
      "fn value_and_grad(objective: fn(a) -> Expect, theta: a) -> (Real, a)",
      "fn stop_gradient(x: a) -> a",
      "fn marginal(g: Gen[a -> r], keep: Selection, proposal: Gen[b -> s], particles: Int = 10) -> Gen[a -> r]",
      "fn normalize(target: Gen[a -> r], proposal: Gen[a -> s], particles: Int = 10) -> Gen[a -> r]",
      // optimizers and training
      "fn adam(lr: Real = 0.001, beta1: Real = 0.9, beta2: Real = 0.999, eps: Real = 1e-8) -> Optimizer",
      "fn sgd(lr: Real = 0.01, momentum: Real = 0.9) -> Optimizer",
      "fn apply_gradient(optimizer: Optimizer, theta: a, gradient: a) -> a",
      "fn train(objective: fn(a) -> Expect, theta: a, optimizer: Optimizer, steps: Int = 1000, log_every: Int = 0) -> a",
      "fn train(objective: fn(a) -> Real, theta: a, optimizer: Optimizer, steps: Int = 1000, log_every: Int = 0) -> a",
      "fn minimize(f: fn(a) -> Real, theta: a, optimizer: Optimizer, steps: Int = 1000, log_every: Int = 0) -> a",
    ]
    return texts + familySignatures
  }

  /// The families of real parameters: all-Real parameters give a scalar distribution;
  /// any Tensor parameter gives an independent product over the broadcast shape.
  static let realFamilies: [(name: String, parameters: [String], draw: String)] = [
    ("normal", ["mu", "sd"], "Real"), ("lognormal", ["mu", "sd"], "Real"), ("uniform", ["a", "b"], "Real"),
    ("beta", ["a", "b"], "Real"), ("gamma", ["shape", "rate"], "Real"), ("inv_gamma", ["shape", "scale"], "Real"),
    ("exponential", ["rate"], "Real"), ("cauchy", ["loc", "scale"], "Real"), ("half_normal", ["sd"], "Real"),
    ("half_cauchy", ["scale"], "Real"), ("student_t", ["nu", "loc", "scale"], "Real"), ("laplace", ["loc", "scale"], "Real"),
    ("bernoulli", ["p"], "Bool"), ("bernoulli_logit", ["logit"], "Bool"), ("poisson", ["rate"], "Int"),
    ("geometric", ["p"], "Int"),
  ]

  public static var familySignatures: [String] {
    var texts: [String] = []
    for family in realFamilies {
      let k = family.parameters.count
      for mask in 0..<(1 << k) {
        let params = family.parameters.enumerated().map { i, p in "\(p): \(mask & (1 << i) != 0 ? "Tensor" : "Real")" }
        texts.append("fn \(family.name)(\(params.joined(separator: ", "))) -> Dist[\(mask == 0 ? family.draw : "Tensor")]")
      }
    }
    return texts
  }

  /// Parses `fn name(label: Type = default, …) -> Result`.
  public static func parseSignature(_ text: String) -> BuiltinSignature? {
    let file = SourceFile(name: "<builtins>", text: text)
    guard let parsed = Parser.parseSignature(file) else { return nil }
    var variables: [String: Type] = [:]
    func convert(_ t: TypeExpr) -> Type? {
      switch t {
      case .named(let name, let args, _):
        if name.count == 1, name.first?.isLowercase == true {
          if let v = variables[name] { return v }
          let v = Type.variable(-(variables.count + 1))
          variables[name] = v
          return v
        }
        if name == "any" { return .any }
        return TypeResolver.builtinType(name, args.compactMap(convert))
      case .tuple(let ts, _): return .tuple(ts.compactMap(convert))
      case .record(let fs, _): return Type.makeRecord(fs.compactMap { f in convert(f.type).map { (f.name, $0) } })
      case .function(let ps, let r, _):
        return .function(ps.compactMap(convert), convert(r) ?? .any)
      }
    }
    var params: [BuiltinSignature.Parameter] = []
    for p in parsed.parameters {
      guard let t = convert(p.type) else { return nil }
      let value: IRLiteral? = p.defaultValue.map {
        switch $0 {
        case .int(let i): return .int(i)
        case .real(let r): return .real(r)
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        }
      }
      params.append(.init(label: p.label, type: t, defaultValue: value))
    }
    guard let result = convert(parsed.result) else { return nil }
    return BuiltinSignature(name: parsed.name, parameters: params, result: result, variadic: parsed.variadic, text: text)
  }
}

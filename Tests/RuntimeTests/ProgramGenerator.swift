import Distributions

/// Random *well-typed* PPL programs, for fuzzing the interpreter behind the type
/// checker: declarations of fns and a gen, loops, conditionals, closures, list and
/// tensor operations, and inference calls over the gen. Every program it writes must
/// type-check; whether it then runs to the end or stops with a runtime error (a bad
/// index, an invalid parameter, a shape mismatch) depends on its random values.
struct ProgramGenerator {
  enum Kind: CaseIterable {
    case int, real, bool, reals, tensor

    var typeName: String {
      switch self {
      case .int: return "Int"
      case .real: return "Real"
      case .bool: return "Bool"
      case .reals: return "List[Real]"
      case .tensor: return "Tensor"
      }
    }
  }

  struct Variable {
    let name: String
    let kind: Kind
    let mutable: Bool
  }

  struct Function {
    let name: String
    let parameters: [Kind]
    let result: Kind
  }

  private var rng: RandomGenerator
  private var scopes: [[Variable]] = [[]]
  private var functions: [Function] = []
  private var counter = 0
  private var lines: [String] = []
  private var indent = 0

  init(seed: UInt64) { rng = RandomGenerator(seed: seed) }

  /// One program: a few fns, a gen, then top-level statements using them.
  mutating func program() -> String {
    for _ in 0..<below(3) { function() }
    model()
    for _ in 0..<(4 + below(10)) { statement(depth: 2, inGen: false) }
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: Randomness

  private mutating func below(_ n: Int) -> Int { Int(rng.uniform() * Double(n)) % max(n, 1) }
  private mutating func chance(_ p: Double) -> Bool { rng.uniform() < p }
  private mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
  private mutating func pickAny<T>(_ xs: [T]) -> T? { xs.isEmpty ? nil : pick(xs) }

  private mutating func name(_ prefix: String) -> String {
    counter += 1
    return "\(prefix)\(counter)"
  }

  private mutating func emit(_ line: String) { lines.append(String(repeating: "  ", count: indent) + line) }

  private func visible(_ kind: Kind, mutable: Bool = false) -> [Variable] {
    scopes.flatMap { $0 }.filter { $0.kind == kind && (!mutable || $0.mutable) }
  }

  private mutating func declare(_ name: String, _ kind: Kind, mutable: Bool = false) {
    scopes[scopes.count - 1].append(Variable(name: name, kind: kind, mutable: mutable))
  }

  // MARK: Declarations

  private mutating func function() {
    let f = Function(name: name("f"), parameters: (0..<(1 + below(3))).map { _ in pick(Kind.allCases) }, result: pick(Kind.allCases))
    let saved = scopes
    scopes = [[]]
    let params = f.parameters.map { kind -> String in
      let p = name("p")
      declare(p, kind)
      return "\(p): \(kind.typeName)"
    }
    emit("fn \(f.name)(\(params.joined(separator: ", "))) -> \(f.result.typeName) {")
    indent += 1
    for _ in 0..<below(3) { statement(depth: 1, inGen: false) }
    emit(expression(f.result, depth: 3))
    indent -= 1
    emit("}")
    scopes = saved
    functions.append(f)
  }

  /// `gen model(theta: Real) -> Real`: choices (some in a loop), observations, a factor.
  private mutating func model() {
    let saved = scopes
    scopes = [[Variable(name: "theta", kind: .real, mutable: false)]]
    emit("gen model(theta: Real) -> Real {")
    indent += 1
    emit("let a ~ normal(theta, 1.0)")
    declare("a", .real)
    for _ in 0..<below(4) { statement(depth: 1, inGen: true) }
    let n = below(4)
    emit("for i in 0..<\(n) {")
    indent += 1
    emit("let z ~ \(distribution()) @ (\"z\", i)")
    emit("observe(normal(a, 1.0), \(expression(.real, depth: 2)))")
    indent -= 1
    emit("}")
    if chance(0.3) { emit("factor(\(expression(.real, depth: 2)))") }
    emit("a")
    indent -= 1
    emit("}")
    scopes = saved
  }

  private mutating func distribution() -> String {
    switch below(6) {
    case 0: return "normal(\(expression(.real, depth: 1)), 1.0)"
    case 1: return "gamma(2.0, \(pick(["1.0", "0.5", "3.0"])))"
    case 2: return "beta(2.0, 2.0)"
    case 3: return "uniform(-1.0, 1.0)"
    case 4: return "laplace(a, 1.0)"
    default: return "normal(0.0, \(pick(["0.1", "1.0", "10.0"])))"
    }
  }

  // MARK: Statements

  private mutating func statement(depth: Int, inGen: Bool) {
    let options = depth > 0 ? 9 : 4
    switch below(options) {
    case 0, 1:
      let kind = pick(Kind.allCases)
      let v = name("v")
      let mutable = chance(0.5)
      emit("\(mutable ? "var" : "let") \(v) = \(expression(kind, depth: 3))")
      declare(v, kind, mutable: mutable)
    case 2:
      let kind = pick(Kind.allCases)
      if let v = pickAny(visible(kind, mutable: true)) {
        if (kind == .int || kind == .real) && chance(0.5) {
          emit("\(v.name) += \(expression(kind, depth: 2))")
        } else {
          emit("\(v.name) = \(expression(kind, depth: 2))")
        }
      } else {
        emit("print(\(expression(kind, depth: 2)))")
      }
    case 3:
      emit("print(\(expression(pick(Kind.allCases), depth: 2)), \(expression(pick(Kind.allCases), depth: 1)))")
    case 4:
      let i = name("i")
      emit("for \(i) in 0..<\(pick(["0", "1", "3", "7", expression(.int, depth: 1)])) {")
      block(depth: depth, inGen: inGen) { $0.declare(i, .int) }
    case 5:
      let x = name("x")
      emit("for \(x) in \(expression(.reals, depth: 2)) {")
      block(depth: depth, inGen: inGen) { $0.declare(x, .real) }
    case 6:
      emit("if \(expression(.bool, depth: 2)) {")
      block(depth: depth, inGen: inGen) { _ in }
    case 7:
      let w = name("w")
      emit("var \(w) = 0")
      emit("while \(w) < \(below(5)) {")
      indent += 1
      emit("\(w) += 1")
      indent -= 1
      block(depth: depth, inGen: inGen) { _ in }
    default:
      if inGen { emit("let \(name("c")) ~ \(distribution())") } else { inference() }
    }
  }

  /// The body of a loop or conditional, closed by "}".
  private mutating func block(depth: Int, inGen: Bool, _ bind: (inout ProgramGenerator) -> Void) {
    scopes.append([])
    bind(&self)
    indent += 1
    for _ in 0..<(1 + below(2)) {
      if inGen {
        // Choices inside loops would repeat their address: keep gen loops deterministic.
        statement(depth: 0, inGen: false)
      } else {
        statement(depth: depth - 1, inGen: false)
      }
    }
    indent -= 1
    emit("}")
    scopes.removeLast()
  }

  /// Inference over `model`, small enough to run quickly, with results printed.
  private mutating func inference() {
    let theta = expression(.real, depth: 1)
    switch below(9) {
    case 0:
      emit("print(simulate(model, (\(theta),)).score)")
    case 1:
      emit("print(mean(importance(model, (\(theta),), choicemap {\"a\": \(expression(.real, depth: 1))}, particles: \(1 + below(20))), \"a\"))")
    case 2:
      emit("print(log_evidence(smc(model, (\(theta),), choicemap {}, particles: \(1 + below(20)))))")
    case 3:
      emit("print(mean(mcmc(model, (\(theta),), choicemap {}, |t| mh(t, select(\"a\")), samples: \(1 + below(10))), \"a\"))")
    case 4:
      let x = name("g")
      let body = expression(.real, depth: 3, binding: [(x, .real)])
      emit("print(grad(|\(x): Real| \(body), \(theta)))")
    case 5:
      emit("print(grad(|t: Real| expect { let q = simulate(model, (t,)); q.score + \(expression(.real, depth: 2)) }, \(theta)))")
    case 6:
      emit("print(value_and_grad(|t: Real| \(objective()), \(theta)))")
    case 7:
      emit("print(train(|t: Real| \(objective()), \(theta), \(pick(["adam(lr: 0.1)", "sgd(lr: 0.01, momentum: 0.5)"])), steps: \(below(5))))")
    default:
      emit("let (\(name("tr")), \(name("wt"))) = generate(model, (\(theta),), choicemap {\"a\": \(expression(.real, depth: 1))})")
    }
  }

  /// An expect block over `t` mixing gradient strategies.
  private mutating func objective() -> String {
    let discrete = pick(["", ".enum", ".mvd", ".reinforce", ".reinforce(baseline: 1.0)"])
    let continuous = pick(["", ".reparam", ".mvd", ".reinforce"])
    let other = expression(.real, depth: 2)
    return "expect { let b ~ bernoulli(sigmoid(t))\(discrete); let x ~ normal(t, 1.0)\(continuous); if b { x * x } else { \(other) } }"
  }

  // MARK: Expressions

  /// An expression of `kind` in a scope where `names` are bound (closure and
  /// comprehension variables).
  private mutating func expression(_ kind: Kind, depth: Int, binding names: [(String, Kind)]) -> String {
    scopes.append(names.map { Variable(name: $0.0, kind: $0.1, mutable: false) })
    defer { scopes.removeLast() }
    return expression(kind, depth: depth)
  }

  private mutating func expression(_ kind: Kind, depth: Int) -> String {
    if depth <= 0 || chance(0.2) { return leaf(kind) }
    let d = depth - 1
    if chance(0.1), let f = pickAny(functions.filter { $0.result == kind }) {
      return "\(f.name)(\(f.parameters.map { expression($0, depth: d) }.joined(separator: ", ")))"
    }
    if chance(0.08) { return "(if \(expression(.bool, depth: d)) { \(expression(kind, depth: d)) } else { \(expression(kind, depth: d)) })" }
    switch kind {
    case .int:
      switch below(6) {
      case 0: return "(\(expression(.int, depth: d)) \(pick(["+", "-", "*", "/", "%"])) \(expression(.int, depth: d)))"
      case 1: return "len(\(expression(.reals, depth: d)))"
      case 2: return "int(\(expression(.real, depth: d)))"
      case 3: return "abs(\(expression(.int, depth: d)))"
      case 4: return "\(pick(["min", "max"]))(\(expression(.int, depth: d)), \(expression(.int, depth: d)))"
      default: return "(-\(expression(.int, depth: d)))"
      }
    case .real:
      switch below(12) {
      case 0, 1: return "(\(expression(.real, depth: d)) \(pick(["+", "-", "*", "/", "**"])) \(expression(.real, depth: d)))"
      case 2:
        let f = pick(["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "softplus", "lgamma", "erf", "log1p",
                      "expm1", "floor", "ceil", "round", "logit", "digamma"])
        return "\(f)(\(expression(.real, depth: d)))"
      case 3: return "real(\(expression(.int, depth: d)))"
      case 4: return "sum(\(expression(.reals, depth: d)))"
      case 5: return "\(pick(["sum", "mean"]))(\(expression(.tensor, depth: d)))"
      case 6: return "\(expression(.reals, depth: d))[\(expression(.int, depth: d))]"
      case 7: return "logpdf(normal(\(expression(.real, depth: d)), \(expression(.real, depth: d))), \(expression(.real, depth: d)))"
      case 8:
        let (acc, x) = (name("acc"), name("x"))
        let body = expression(.real, depth: d, binding: [(acc, .real), (x, .real)])
        return "fold(\(expression(.reals, depth: d)), \(expression(.real, depth: d)), |\(acc), \(x)| \(body))"
      case 9: return "\(pick(["min", "max", "pow"]))(\(expression(.real, depth: d)), \(expression(.real, depth: d)))"
      case 10:
        if chance(0.5) {
          let d0 = pick(["gamma(2.0, 1.0)", "beta(2.0, 3.0)", "student_t(3.0, 0.0, 1.0)", "exponential(2.0)", "cauchy(0.0, 1.0)"])
          return "logpdf(\(d0), \(expression(.real, depth: d)))"
        }
        return "logpdf(\(pick(["poisson(3.0)", "binomial(10, 0.5)", "geometric(0.3)"])), \(expression(.int, depth: d)))"
      default: return "(-\(expression(.real, depth: d)))"
      }
    case .bool:
      switch below(5) {
      case 0: return "(\(expression(.real, depth: d)) \(pick(["<", "<=", ">", ">=", "=="])) \(expression(.real, depth: d)))"
      case 1: return "(\(expression(.int, depth: d)) \(pick(["==", "!=", "<"])) \(expression(.int, depth: d)))"
      case 2: return "(\(expression(.bool, depth: d)) \(pick(["&&", "||"])) \(expression(.bool, depth: d)))"
      case 3: return "!\(expression(.bool, depth: d))"
      default: return "is_nan(\(expression(.real, depth: d)))"
      }
    case .reals:
      switch below(8) {
      case 0: return "[\(expression(.real, depth: d)), \(expression(.real, depth: d))]"
      case 1:
        let x = name("x")
        let source = expression(.reals, depth: d)
        let body = expression(.real, depth: d, binding: [(x, .real)])
        return "[\(body) for \(x) in \(source)]"
      case 2: return "append(\(expression(.reals, depth: d)), \(expression(.real, depth: d)))"
      case 3: return "concat(\(expression(.reals, depth: d)), \(expression(.reals, depth: d)))"
      case 4: return "\(pick(["reverse", "sort"]))(\(expression(.reals, depth: d)))"
      case 5:
        let i = name("i")
        let count = pick(["3", "0", expression(.int, depth: d)])
        let body = expression(.real, depth: d, binding: [(i, .int)])
        return "[\(body) for \(i) in 0..<\(count)]"
      case 6:
        let x = name("x")
        let source = expression(.reals, depth: d)
        let test = expression(.bool, depth: d, binding: [(x, .real)])
        return "filter(\(source), |\(x)| \(test))"
      default: return "to_list(\(expression(.tensor, depth: d)))"
      }
    case .tensor:
      switch below(7) {
      case 0: return "tensor(\(expression(.reals, depth: d)))"
      case 1: return "\(pick(["zeros", "ones"]))([\(pick(["2", "3", expression(.int, depth: d)]))])"
      case 2: return "(\(expression(.tensor, depth: d)) \(pick(["+", "-", "*", "/"])) \(expression(.tensor, depth: d)))"
      case 3: return "(\(expression(.tensor, depth: d)) * \(expression(.real, depth: d)))"
      case 4: return "\(pick(["exp", "tanh", "softmax", "abs", "log"]))(\(expression(.tensor, depth: d)))"
      case 5: return "reshape(\(expression(.tensor, depth: d)), [\(pick(["2", "-1", expression(.int, depth: d)])), \(pick(["1", "2", "-1"]))])"
      default: return "matmul(\(expression(.tensor, depth: d)), \(expression(.tensor, depth: d)))"
      }
    }
  }

  private mutating func leaf(_ kind: Kind) -> String {
    if chance(0.6), let v = pickAny(visible(kind)) { return v.name }
    let edge = chance(0.1)
    switch kind {
    case .int: return edge ? pick(["-1", "100", "-9223372036854775807", "9223372036854775807"]) : pick(["0", "1", "2", "3"])
    case .real: return edge ? pick(["1e308", "-1e-308", "inf", "nan", "-0.0"]) : pick(["0.0", "1.0", "-2.5", "0.5", "3.25", "pi", "2.0"])
    case .bool: return pick(["true", "false"])
    case .reals: return edge ? pick(["[-1.0, 1e300, nan]", "[0.5]"]) : pick(["[1.0, 2.0, 3.0]", "[2.5, 0.0, 1.5]"])
    case .tensor: return edge ? pick(["ones([2, 2])", "zeros([3])", "tensor([[1.0, 2.0], [3.0, 4.0]])"]) : pick(["tensor([1.0, 2.0])", "ones([2])"])
    }
  }
}

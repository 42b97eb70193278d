import Distributions
import Foundation
import Tensor

extension Autodiff {
  /// The parameters of a distribution as operands: tracked where they are being
  /// differentiated, constants otherwise (scalar families use their inline values).
  static func parameters(_ d: Value, _ dist: Distribution) throws -> TrackedParameters {
    if case .trackedDist(let t) = d { return t.parameters }
    switch dist {
    case .mvnormal(let m):
      let k = m.dimension
      return .mvnormal(mean: .constant(Tensor(shape: [k], data: m.mean)), cov: .constant(Tensor(shape: [k, k], data: m.cov)))
    case .dirichlet(let alpha): return .dirichlet(.constant(Tensor(shape: [alpha.count], data: alpha)))
    case .categorical(let lp): return .categoricalLogits(.constant(Tensor(shape: [lp.count], data: lp)))
    default: return .family([])
    }
  }

  /// The sum of a Real's or Tensor's elements, on the tape where it is tracked.
  static func total(_ v: Value) throws -> Value {
    guard let o = operand(v) else { throw RuntimeError("expected a Real or a Tensor, found \(v.typeName)") }
    return try wrap { value(try Differentiable.sum(o)) }
  }

  /// `logpdf_each(d, x)` recorded on the tape: one log-density per element of x, with
  /// the gradient of each with respect to its element's parameters and value.
  static func logpdfEach(_ d: Value, _ x: Value) throws -> Value {
    let dist = try primal(d)
    guard case .tensor(let xt)? = x.outcome else { throw RuntimeError("logpdf_each scores a tensor, found \(x.typeName)") }
    guard case .family(let tracked) = try parameters(d, dist) else { throw RuntimeError("logpdf_each scores under a family") }
    let each = try wrap { try dist.elementwiseLogDensities(xt, gradients: true) }
    let plain: [Tensor]
    switch dist {
    case .scalar(let f, let p): plain = (0..<f.arity).map { .scalar(p[$0]) }
    case .product(_, let params, _): plain = params
    default: plain = []
    }
    let ops = tracked.isEmpty ? plain.map { Operand.constant($0) } : tracked
    return try wrap {
      value(try Differentiable.custom(Tensor(shape: xt.shape, data: each.values), ops + [operand(x) ?? .constant(xt)]) { g in
        let parameterGradients = try zip(each.parameters, ops).map { d, op in
          try Tensor(shape: xt.shape, data: zip(d, g.data).map { $0 * $1 }).unbroadcast(to: op.value.shape)
        }
        return parameterGradients + [Tensor(shape: xt.shape, data: zip(each.x, g.data).map { $0 * $1 })]
      })
    }
  }

  /// `logpdf(d, x)` recorded on the tape: the gradient with respect to the
  /// distribution's parameters and, for continuous distributions, the value.
  static func logpdf(_ d: Value, _ x: Value) throws -> Value {
    let dist = try primal(d)
    guard let outcome = x.outcome else { throw RuntimeError("\(dist.name) cannot score a value of type \(x.typeName)") }
    // Products may compute the log-density fused with their gradients, and flows on the
    // tape; the other cases start from the plain value.
    let plainFirst: Bool
    switch dist {
    case .product, .transformed: plainFirst = false
    default: plainFirst = true
    }
    let lp = plainFirst ? try dist.logpdf(outcome) : 0
    let params = try parameters(d, dist)
    let xOperand = operand(x)
    switch (dist, params) {
    case (.scalar(let f, let p), .family(let ops)):
      let ops = ops.isEmpty ? (0..<f.arity).map { Operand.constant(.scalar(p[$0])) } : ops
      guard let v = outcome.number else { throw RuntimeError("\(f.name) scores a number") }
      let all = ops + [xOperand ?? .constant(.scalar(v))]
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), all) { g in
          let (gp, gx) = f.gradient(p, v)
          return (0..<f.arity).map { Tensor.scalar(gp[$0] * g.data[0]) } + [.scalar(f.kind == .real ? gx * g.data[0] : 0)]
        })
      }
    case (.product(let f, let tensors, let shape), .family(let ops)):
      let ops = ops.isEmpty ? tensors.map { Operand.constant($0) } : ops
      guard case .tensor(let xt) = outcome else { throw RuntimeError("\(f.name) scores a tensor of shape \(shape)") }
      let all = ops + [xOperand ?? .constant(xt)]
      // One pass for the value and every gradient; the pullback only scales them.
      let fused = try dist.productLogDensityAndGradients(xt)
      let shapes = tensors.map(\.shape)
      return try wrap {
        value(try Differentiable.custom(.scalar(fused.value), all) { g in
          let k = g.data[0]
          return try zip(fused.parameters, shapes).map { grad, original in
            try Tensor(shape: shape, data: grad.map { $0 * k }).unbroadcast(to: original)
          } + [Tensor(shape: shape, data: fused.x.map { $0 * k })]
        })
      }
    case (.multinomial(let n, let logProbs), .categoricalProbs(let o)), (.multinomial(let n, let logProbs), .categoricalLogits(let o)):
      // ∂/∂pₖ = xₖ/pₖ − n/Σp over probabilities; ∂/∂zₖ = xₖ − n·softmax(z)ₖ over logits.
      guard case .tensor(let xt) = outcome else { throw RuntimeError("multinomial scores a tensor of counts") }
      let isLogits: Bool
      if case .categoricalLogits = params { isLogits = true } else { isLogits = false }
      let p = o.value, total = p.data.reduce(0, +)
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [o]) { g in
          [Tensor(shape: p.shape, data: p.data.indices.map { k in
            g.data[0] * (isLogits ? xt.data[k] - Double(n) * exp(logProbs[k]) : (xt.data[k] == 0 ? 0 : xt.data[k] / p.data[k]) - Double(n) / total)
          })]
        })
      }
    case (.categorical(let logProbs), .categoricalProbs(let probs)):
      guard let k = outcome.number.map(Int.init) else { throw RuntimeError("categorical scores an Int") }
      let p = probs.value, total = p.data.reduce(0, +)
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [probs]) { g in
          return [Tensor(shape: p.shape, data: p.data.indices.map { j in g.data[0] * ((j == k ? 1 / p.data[j] : 0) - 1 / total) })]
        })
      }
    case (.categorical(let logProbs), .categoricalLogits(let logits)):
      guard let k = outcome.number.map(Int.init) else { throw RuntimeError("categorical scores an Int") }
      let shape = logits.value.shape
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [logits]) { g in
          [Tensor(shape: shape, data: logProbs.indices.map { j in g.data[0] * ((j == k ? 1 : 0) - exp(logProbs[j])) })]
        })
      }
    case (.mvnormal(let m), .mvnormal(let mean, let cov)):
      guard case .tensor(let xt) = outcome else { throw RuntimeError("mvnormal scores a tensor") }
      let rows = try dist.rows(xt, m.dimension, "mvnormal")
      let meanShape = mean.value.shape, covShape = cov.value.shape
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [mean, cov, xOperand ?? .constant(xt)]) { g in
          var gm = [Double](repeating: 0, count: m.dimension), gc = [Double](repeating: 0, count: m.dimension * m.dimension)
          var gx: [Double] = []
          for row in rows {
            let r = m.gradient(row)
            for i in gm.indices { gm[i] += r.mean[i] * g.data[0] }
            for i in gc.indices { gc[i] += r.cov[i] * g.data[0] }
            gx += r.x.map { $0 * g.data[0] }
          }
          return [Tensor(shape: meanShape, data: gm), Tensor(shape: covShape, data: gc), Tensor(shape: xt.shape, data: gx)]
        })
      }
    case (.transformed(let base, _), .transformed(let baseValue, let t)):
      // log p(x) = log base(z) − log |det ∂forward/∂z|, z = inverse(x), row by row.
      let (z, logDet) = try t.inverseAndLogDeterminant(x)
      guard case .tensor(let zt)? = z.outcome else { throw RuntimeError("transformed: the inverse must return a tensor") }
      let broadcastBase: Value = Autodiff.isTracked(baseValue) ? baseValue : .dist(base.rowsBroadcast(to: zt.shape))
      return try Operations.binary(.sub, try logpdf(broadcastBase, z), try total(logDet))
    case (.dirichlet(let alpha), .dirichlet(let a)):
      guard case .tensor(let xt) = outcome else { throw RuntimeError("dirichlet scores a tensor") }
      let rows = try dist.rows(xt, alpha.count, "dirichlet")
      let alphaShape = a.value.shape
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [a, xOperand ?? .constant(xt)]) { g in
          let s = Elementary.digamma(alpha.reduce(0, +))
          var ga = [Double](repeating: 0, count: alpha.count)
          for row in rows { for i in ga.indices { ga[i] += g.data[0] * (s - Elementary.digamma(alpha[i]) + log(row[i])) } }
          // d/dx_i of Σ (α_i − 1) log x_i, row by row (0 where α_i = 1, whose term is constant).
          let gx = rows.flatMap { row in row.indices.map { alpha[$0] == 1 ? 0 : g.data[0] * (alpha[$0] - 1) / row[$0] } }
          return [Tensor(shape: alphaShape, data: ga), Tensor(shape: xt.shape, data: gx)]
        })
      }
    case (.lkjCholesky(let k, let eta), _):
      // η is plain (the builtin refuses a differentiated one): ∂/∂Lᵢᵢ only.
      guard case .tensor(let xt) = outcome else { throw RuntimeError("lkj_cholesky scores a matrix") }
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [xOperand ?? .constant(xt)]) { g in
          var d = [Double](repeating: 0, count: k * k)
          for i in 1..<max(k, 1) { d[i * k + i] = g.data[0] * LKJ.exponent(i, k, eta) / xt.data[i * k + i] }
          return [Tensor(shape: [k, k], data: d)]
        })
      }
    case (.dirac, _):
      // A point mass has no density to differentiate: 0 at its point, −inf elsewhere.
      // Its value moves with the point instead (a draw, an update, NUTS).
      return .real(lp)
    case (.mixture(let logWeights, let parts, _), _):
      // log Σₖ wₖ pₖ(x) / Σ w, each component's log-density on the tape (differentiated
      // weights and components, or a differentiated value).
      let w: Operand, components: [Value]
      if case .mixture(let trackedWeights, let trackedComponents) = params {
        (w, components) = (trackedWeights, trackedComponents)
      } else {
        (w, components) = (.constant(Tensor(shape: [logWeights.count], data: logWeights.map(exp))), parts.map { .dist($0) })
      }
      let terms = try components.map { component -> Operand in
        let lp = try logpdf(component, x)
        return try operand(lp) ?? .constant(.scalar(lp.asReal()))
      }
      let weights = w.value.data, logs = terms.map { $0.value.data[0] }, total = weights.reduce(0, +)
      // aₖ = log wₖ + log pₖ(x); a zero weight drops out (its derivative stays finite:
      // ∂/∂wₖ = pₖ/Σⱼ wⱼpⱼ − 1/Σw).
      let a = zip(weights, logs).map { $0 > 0 ? log($0) + $1 : -Double.infinity }
      let m = a.max() ?? -.infinity
      guard m > -.infinity else { return .real(-.infinity) }
      let shares = a.map { exp($0 - m) }, s = shares.reduce(0, +)
      return try wrap {
        value(try Differentiable.custom(.scalar(m + log(s) - log(total)), [w] + terms) { g in
          let dw = logs.map { g.data[0] * (exp($0 - m) / s - 1 / total) }
          return [Tensor(shape: w.value.shape, data: dw)] + shares.map { Tensor.scalar(g.data[0] * $0 / s) }
        })
      }
    case (.ordered(.scalar(let f, let p), _), _):
      // The parameters are plain (the builtin refuses differentiated ones): ∂x only.
      guard case .tensor(let xt) = outcome else { throw RuntimeError("ordered scores a tensor") }
      return try wrap {
        value(try Differentiable.custom(.scalar(lp), [xOperand ?? .constant(xt)]) { g in
          [Tensor(shape: xt.shape, data: xt.data.map { f.gradient(p, $0).x * g.data[0] })]
        })
      }
    default:
      if case .tracked = x { throw RuntimeError("\(dist.name) has no derivative rule for its value") }
      return .real(lp)
    }
  }
}

import Distributions
import Foundation
import Runtime

/// The No-U-Turn Sampler with multinomial sampling of the trajectory (Hoffman and
/// Gelman 2014; Betancourt 2017, as Stan implements it), a diagonal or dense metric, and
/// Stan's warmup: dual-averaging step size adaptation and doubling windows for the
/// mass matrix. Transitions whose energy error exceeds 1000 are divergent.
struct NUTS {
  struct Point {
    var u: [Double]
    var p: [Double]
    var logp: Double
    var grad: [Double]
    /// The choices' constrained values at u (the draw's trace is built from them).
    var values: [Value]
  }

  struct Tree {
    var left: Point
    var right: Point
    var proposal: Point
    var logWeight: Double
    var rho: [Double]
    var leapfrogs: Int
    var acceptSum: Double
    var diverging: Bool
    var turning: Bool
  }

  let target: UnconstrainedDensity
  /// The random stream is read where it is used: evaluating the density may draw too
  /// (a gen defined by its interface estimates its density by sampling).
  var runtime: RuntimeContext { target.context.runtime }
  var step: Double
  var metric: Metric
  /// The most doublings of one trajectory (Stan's max_treedepth).
  let maxDepth: Int

  /// What one transition did, as Stan records it per draw.
  struct Transition {
    let point: Point
    /// The mean Metropolis acceptance probability over the trajectory's points.
    let acceptance: Double
    let diverged: Bool
    /// Doublings kept (a subtree that diverged or turned is not counted, as in Stan).
    let depth: Int
    let leapfrogs: Int
  }

  func kinetic(_ p: [Double]) -> Double { metric.kinetic(p) }

  func sharp(_ p: [Double]) -> [Double] { metric.sharp(p) }

  func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

  /// No U-turn between the two ends for the summed momentum `rho`.
  func noUTurn(_ left: [Double], _ right: [Double], _ rho: [Double]) -> Bool {
    dot(sharp(right), rho) > 0 && dot(sharp(left), rho) > 0
  }

  func leapfrog(_ x: Point, _ eps: Double) throws -> Point {
    var p = x.p, u = x.u
    for i in p.indices { p[i] += 0.5 * eps * x.grad[i] }
    metric.drift(&u, p, eps)
    let next = try target.evaluateProposal(u)
    for i in p.indices { p[i] += 0.5 * eps * next.gradient[i] }
    return Point(u: u, p: p, logp: next.logDensity, grad: next.gradient, values: next.values)
  }

  func buildTree(_ edge: Point, _ direction: Double, _ depth: Int, _ energy0: Double) throws -> Tree {
    if depth == 0 {
      let x = try leapfrog(edge, direction * step)
      let energy = -x.logp + kinetic(x.p)
      let delta = energy - energy0
      let diverging = !energy.isFinite || delta > 1000
      return Tree(left: x, right: x, proposal: x, logWeight: diverging ? -.infinity : -delta, rho: x.p, leapfrogs: 1,
                  acceptSum: diverging ? 0 : min(1, exp(-delta)), diverging: diverging, turning: false)
    }
    var first = try buildTree(edge, direction, depth - 1, energy0)
    if first.diverging || first.turning { return first }
    let second = try buildTree(direction > 0 ? first.right : first.left, direction, depth - 1, energy0)
    let total = logAddExp(first.logWeight, second.logWeight)
    if !second.diverging && !second.turning && log(runtime.rng.uniform()) < second.logWeight - total { first.proposal = second.proposal }
    let (left, right) = direction > 0 ? (first.left, second.right) : (second.left, first.right)
    let rho = zip(first.rho, second.rho).map { $0 + $1 }
    // The merged subtree, and Stan's extra checks across the two halves.
    let (innerLeft, innerRight) = direction > 0 ? (first.right, second.left) : (second.right, first.left)
    let (leftHalf, rightHalf) = direction > 0 ? (first, second) : (second, first)
    let turning = !noUTurn(left.p, right.p, rho)
      || !noUTurn(left.p, innerRight.p, zip(leftHalf.rho, innerRight.p).map { $0 + $1 })
      || !noUTurn(innerLeft.p, right.p, zip(rightHalf.rho, innerLeft.p).map { $0 + $1 })
    return Tree(left: left, right: right, proposal: first.proposal, logWeight: total, rho: rho,
                leapfrogs: first.leapfrogs + second.leapfrogs, acceptSum: first.acceptSum + second.acceptSum,
                diverging: second.diverging, turning: second.turning || turning)
  }

  func logAddExp(_ a: Double, _ b: Double) -> Double {
    let m = max(a, b)
    return m == -.infinity ? m : m + log(exp(a - m) + exp(b - m))
  }

  /// One transition from `start`.
  func transition(_ start: Point) throws -> Transition {
    var x = start
    x.p = try metric.momentum(&runtime.rng)
    let energy0 = -x.logp + kinetic(x.p)
    var tree = Tree(left: x, right: x, proposal: x, logWeight: 0, rho: x.p, leapfrogs: 0, acceptSum: 0, diverging: false, turning: false)
    var diverged = false
    var depth = 0
    while depth < maxDepth {
      let direction: Double = runtime.rng.uniform() < 0.5 ? -1 : 1
      let sub = try buildTree(direction > 0 ? tree.right : tree.left, direction, depth, energy0)
      tree.leapfrogs += sub.leapfrogs
      tree.acceptSum += sub.acceptSum
      if sub.diverging { diverged = true; break }
      if sub.turning { break }
      // Counted as Stan counts it: only a doubling whose new subtree is kept.
      depth += 1
      // Biased progressive sampling: prefer the new subtree.
      if log(runtime.rng.uniform()) < sub.logWeight - tree.logWeight { tree.proposal = sub.proposal }
      tree.logWeight = logAddExp(tree.logWeight, sub.logWeight)
      if direction > 0 { tree.right = sub.right } else { tree.left = sub.left }
      tree.rho = zip(tree.rho, sub.rho).map { $0 + $1 }
      if !noUTurn(tree.left.p, tree.right.p, tree.rho) { break }
    }
    return Transition(point: tree.proposal, acceptance: tree.acceptSum / Double(max(tree.leapfrogs, 1)), diverged: diverged,
                      depth: depth, leapfrogs: tree.leapfrogs)
  }

  /// Stan's heuristic for a first step size: double or halve until one leapfrog step
  /// changes the acceptance probability across 1/2.
  mutating func findReasonableStep(_ x: Point) throws {
    var y = x
    y.p = try metric.momentum(&runtime.rng)
    let h0 = -y.logp + kinetic(y.p)
    var z = try leapfrog(y, step)
    var delta = h0 - (-z.logp + kinetic(z.p))
    let direction: Double = delta > log(0.8) ? 1 : -1
    for _ in 0..<50 {
      if direction > 0 ? !(delta > log(0.8)) : !(delta < log(0.8)) { break }
      step = direction > 0 ? step * 2 : step / 2
      z = try leapfrog(y, step)
      delta = h0 - (-z.logp + kinetic(z.p))
      if !delta.isFinite && direction > 0 { step /= 2; break }
    }
  }
}

/// Dual averaging of the log step size toward a target acceptance statistic.
struct StepSizeAdaptation {
  var mu: Double
  let target: Double
  var counter = 0.0
  var sBar = 0.0
  var xBar = 0.0

  init(step: Double, target: Double) {
    mu = log(10 * step)
    self.target = target
  }

  mutating func update(_ accept: Double) -> Double {
    counter += 1
    let eta = 1 / (counter + 10)
    sBar = (1 - eta) * sBar + eta * (target - accept)
    let x = mu - sBar * counter.squareRoot() / 0.05
    let weight = pow(counter, -0.75)
    xBar = weight * x + (1 - weight) * xBar
    return exp(x)
  }

  var final: Double { exp(xBar) }
}

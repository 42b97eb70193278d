import Dispatch
import Distributions
import Foundation
import Runtime

/// Work over many independent items — SMC particles, MCMC chains — split into blocks of
/// a fixed number of consecutive items. Each block runs on a child context with its own
/// random stream, derived from one draw of the parent's stream and the block's index,
/// so a seed gives the same result whatever the number of threads (`RuntimeContext.threads`,
/// `ppl run --threads N`); the blocks' step counts and divergences are added to the
/// parent's. Work that fits one block runs on the parent context itself.
enum Parallel {
  /// Calls `body` for every index in 0..<count, block by block; rethrows the error of
  /// the first failing block in index order.
  static func forEach(_ count: Int, blockSize: Int, _ c: CallContext, _ body: (Int, CallContext) throws -> Void) throws {
    guard count > blockSize else {
      for i in 0..<count { try body(i, c) }
      return
    }
    let blocks = (count + blockSize - 1) / blockSize
    // Marks the region on the interpreter's context, so code that captured it (a
    // flow's bijector) runs on a child of it meanwhile; nested regions run inside one.
    let root = c.runtime.root, isOutermost = root === c.runtime
    if isOutermost { root.parallelRegions += 1 }
    defer { if isOutermost { root.parallelRegions -= 1 } }
    let base = c.runtime.rng.next()
    let contexts = (0..<blocks).map { k in
      CallContext(runtime: c.runtime.child(rng: RandomGenerator(seed: stream(base, k))), span: c.span)
    }
    let startSteps = c.runtime.steps
    var failures = [Error?](repeating: nil, count: blocks)
    // Under `grad` every block records on one tape, which is not thread-safe: the
    // blocks then run one after another (with the same streams, so the same result).
    let differentiating = c.runtime.differentiating || c.runtime.estimator != nil
    let workers = differentiating ? 1 : max(1, min(c.runtime.threads, blocks))
    failures.withUnsafeMutableBufferPointer { errors in
      func run(_ k: Int) {
        do {
          for i in (k * blockSize)..<min(count, (k + 1) * blockSize) { try body(i, contexts[k]) }
        } catch {
          errors[k] = error
        }
      }
      if workers == 1 {
        for k in 0..<blocks { run(k) }
      } else {
        DispatchQueue.concurrentPerform(iterations: workers) { w in
          for k in stride(from: w, to: blocks, by: workers) { run(k) }
        }
      }
    }
    c.runtime.steps = contexts.reduce(startSteps) { $0 &+ ($1.runtime.steps &- startSteps) }
    c.runtime.divergentTransitions += contexts.reduce(0) { $0 + $1.runtime.divergentTransitions }
    if let error = failures.compactMap({ $0 }).first { throw error }
    try c.runtime.checkLimits()
  }

  /// The results of `body` for every index, computed as `forEach` does.
  static func map<T>(_ count: Int, blockSize: Int, _ c: CallContext, _ body: (Int, CallContext) throws -> T) throws -> [T] {
    var results = [T?](repeating: nil, count: count)
    let lock = NSLock()
    try forEach(count, blockSize: blockSize, c) { i, c in
      let r = try body(i, c)
      lock.lock()
      results[i] = r
      lock.unlock()
    }
    return try results.map { r in
      guard let r else { throw RuntimeError("internal: a parallel block did not run") }
      return r
    }
  }

  /// The seed of block k's stream (SplitMix64's mixing of base + k·golden ratio).
  static func stream(_ base: UInt64, _ k: Int) -> UInt64 {
    var z = base &+ UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

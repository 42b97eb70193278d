import Dispatch
import Foundation
import Runtime

/// Runs MCMC chains in parallel, one thread each, with random streams split from the
/// interpreter's in chain order: the results do not depend on thread scheduling.
enum Chains {
  static func run<T>(_ count: Int, _ c: CallContext, _ body: @escaping (CallContext) throws -> T) throws -> [T] {
    let streams = (0..<count).map { _ in c.runtime.rng.split() }
    if count == 1 {
      let parent = c.runtime.rng
      defer { c.runtime.rng = parent }
      c.runtime.rng = streams[0]
      return [try body(c)]
    }
    let contexts = streams.map { CallContext(runtime: c.runtime.child(rng: $0), span: c.span) }
    var results = [Result<T, Error>?](repeating: nil, count: count)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: count) { k in
      let r = Result { try body(contexts[k]) }
      lock.lock()
      results[k] = r
      lock.unlock()
    }
    c.runtime.steps = contexts.reduce(c.runtime.steps) { max($0, $1.runtime.steps) }
    c.runtime.divergentTransitions += contexts.reduce(0) { $0 + $1.runtime.divergentTransitions }
    return try results.map { try ($0 ?? .failure(RuntimeError("internal: a chain did not run"))).get() }
  }
}

/// Runs batches of one program until every member has stopped or finished: the batch
/// furthest behind runs first, batches that meet at one point are joined, and a batch
/// whose members disagree is split (`BatchExecution.run`).
public enum BatchScheduler {
  /// Members that finished, with their return values.
  public struct Finished {
    public let members: [Int]
    public let value: BatchValue

    public init(members: [Int], value: BatchValue) {
      self.members = members
      self.value = value
    }
  }

  /// Runs `batches` to their next stops; returns the stopped batches (joined where they
  /// stopped at one point) and those that finished.
  public static func runToStops<H: BatchHandler>(_ batches: [BatchExecution], _ handler: inout H, _ context: RuntimeContext) throws
    -> (stopped: [BatchExecution], finished: [Finished]) {
    // A part just split off has not yet run the instruction that split it: it must not
    // be joined back before it has.
    var pending = batches.map { (batch: $0, fresh: false) }
    var stopped: [BatchExecution] = [], finished: [Finished] = []
    while !pending.isEmpty {
      var next = 0
      for i in pending.indices.dropFirst() {
        if let p = pending[i].batch.point, let q = pending[next].batch.point, p < q { next = i }
      }
      var (batch, fresh) = pending.remove(at: next)
      if !fresh {
        for j in pending.indices.reversed() where !pending[j].fresh && pending[j].batch.canJoin(batch) {
          batch = batch.joined(pending.remove(at: j).batch)
        }
      }
      switch try batch.run(&handler, context, waiting: pending.compactMap(\.batch.point)) {
      case .finished(let value): finished.append(Finished(members: batch.members, value: value))
      case .stopped: stopped.append(batch)
      case .diverged(let parts): pending += parts.map { ($0, true) }
      case .reached: pending.append((batch, false))
      }
    }
    return (join(stopped), finished)
  }

  /// Batches stopped at one point, joined.
  public static func join(_ batches: [BatchExecution]) -> [BatchExecution] {
    var out: [BatchExecution] = []
    for b in batches {
      if let i = out.firstIndex(where: { $0.canJoin(b) }) { out[i] = out[i].joined(b) } else { out.append(b) }
    }
    return out
  }
}
